from intake.keys import message_key


def test_same_message_id_gives_the_same_key_whatever_the_bytes():
    assert message_key(b"one", "<a@b>") == message_key(b"two", " <a@b> ")


def test_key_is_32_hex_characters():
    key = message_key(b"raw", None)
    assert len(key) == 32 and int(key, 16) >= 0


def test_without_message_id_the_key_follows_the_raw_bytes():
    assert message_key(b"one", None) != message_key(b"two", None)
    assert message_key(b"one", "") == message_key(b"one", None)


def test_different_message_ids_give_different_keys():
    assert message_key(b"x", "<a@b>") != message_key(b"x", "<c@b>")
