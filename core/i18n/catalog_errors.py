"""Error messages shown for domain errors (错误提示), by error class until core raises keyed errors."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "error.generic": ("操作未能完成。", "The action could not be completed."),
    "error.permission_denied": ("您无权执行此操作。", "You are not allowed to do this."),
    "error.not_found": ("找不到所请求的记录。", "The requested record was not found."),
    "error.scope": ("该内容不在您的数据权限范围内。", "This is outside your data scope."),
    "error.auth": ("登录失败。", "Sign-in failed."),
    "error.task_state": ("任务当前状态不允许此操作。", "The task's current status does not allow this."),
    "error.appeal_state": ("诉求当前状态不允许此操作。", "The appeal's current status does not allow this."),
    "error.screening_rejected": ("该事项未通过过筛，不能派发。", "This matter did not pass screening and cannot be dispatched."),
}
