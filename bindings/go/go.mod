module drillmaster

go 1.22
