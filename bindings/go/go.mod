module drillmaster

go 1.19
