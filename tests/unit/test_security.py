from pharmacy_pos.domain.security import password_problems, username_problem
from pharmacy_pos.services.passwords import hash_password, verify_password


def test_sec_3_password_rules():
    assert password_problems("Abcd1234", username="wang", min_length=8) == []
    assert "密码至少 8 位" in password_problems("Ab1", username="wang", min_length=8)
    assert any("字母和数字" in p for p in password_problems("abcdefgh", username="x",
                                                         min_length=8))
    assert any("用户名" in p for p in password_problems("wangfang1", username="wangfang",
                                                       min_length=8))


def test_usernames():
    assert username_problem("cashier.01") is None
    assert username_problem("1abc") is not None
    assert username_problem("王芳") is not None


def test_password_hash_is_salted_and_verifies():
    first, second = hash_password("Secret123"), hash_password("Secret123")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("Secret123", first)
    assert not verify_password("Secret124", first)
    assert not verify_password("Secret123", "garbage")
