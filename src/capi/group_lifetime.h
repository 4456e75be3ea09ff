// When a dm_group is deleted. dm_group_free() may be called while an
// operation runs on the group (from a hook, a signal-driven shutdown or
// another thread): the group then stays alive until the last operation that
// had begun or was waiting for its turn returns, and dm_group_cancel() keeps
// working until then. Operations asked for after the free are refused.
#ifndef DM_CAPI_GROUP_LIFETIME_H
#define DM_CAPI_GROUP_LIFETIME_H

struct dm_group;

namespace dm::capi {

// An operation's hold on its group, from its entry to its return.
class GroupUse {
 public:
  explicit GroupUse(dm_group* group);  // `group` is not NULL
  // Releases the hold; the last one deletes a freed group.
  ~GroupUse();
  GroupUse(const GroupUse&) = delete;
  GroupUse& operator=(const GroupUse&) = delete;

  // Whether dm_group_free() has been called: the operation must not begin.
  bool freed() const;

 private:
  dm_group* group_;
};

// dm_group_free(): deletes the group now when no operation holds it, else
// leaves that to the last GroupUse. NULL is a no-op.
void free_group(dm_group* group);

}  // namespace dm::capi

#endif
