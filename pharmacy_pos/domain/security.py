"""Password rules and user-name shape (SEC-3). Pure checks; hashing lives in services."""

from __future__ import annotations

import re

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9_.\-]{1,39}$")


def username_problem(username: str) -> str | None:
    """Why a user name is unacceptable, or None."""
    if not USERNAME_PATTERN.match(username):
        return "用户名须以小写字母开头，2–40 位小写字母、数字、下划线、点或连字符"
    return None


def password_problems(password: str, *, username: str, min_length: int) -> list[str]:
    """Every reason a new password is refused (empty when it is acceptable)."""
    problems = []
    if len(password) < min_length:
        problems.append(f"密码至少 {min_length} 位")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        problems.append("密码须同时包含字母和数字")
    if username and username.lower() in password.lower():
        problems.append("密码不能包含用户名")
    if len(set(password)) < 4:
        problems.append("密码过于简单")
    return problems
