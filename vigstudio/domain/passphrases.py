"""The one passphrase rule, for a library and for a bundle: at least 10 characters, and not one of the
passphrases every guessing program tries first.

A bundle protected by a passphrase is copied around on USB sticks and in mail; anyone who gets the
file can try passphrases offline, so the commonest ones (long enough but worthless: "password123",
"qwertyuiop", "1234567890", one character repeated…) are refused outright. The check folds case and
ignores spaces, and also sees through a common word with digits or symbols stuck on either end.
"""

from __future__ import annotations

import string

from .errors import PassphraseTooShort, VigError

MIN_LENGTH = PassphraseTooShort.MIN_LENGTH

# Words that open or make up the commonest long passwords (with digits/symbols added around them).
COMMON_WORDS = frozenset("""
password passw0rd passwort passphrase mypassword mypassphrase yourpassword thisismypassword
thisisapassword passwordpassword secretpassword mysecretpassword supersecret topsecret secret
letmein letmeinplease welcome welcomehome iloveyou iloveyouforever loveyou trustno1 trustnoone
changeme changemenow default administrator admin adminadmin root rootroot login password1 passwordone
qwerty qwertyuiop qwertyuiopasdf qwertz qwertzuiop azerty azertyuiop asdfgh asdfghjkl asdfghjkl;
zxcvbn zxcvbnm qazwsx qazwsxedc 1qaz2wsx 1qaz2wsx3edc 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4
q1w2e3r4t5 q1w2e3r4t5y6 zaq12wsx zaq1xsw2 1qazxsw2 1qazxsw23edc abcdefgh abcdefghij abcdefghijk
football baseball basketball soccer hockey princess sunshine superman batman starwars pokemon
whatever dragon monkey michael jennifer jessica charlie shadow master freedom computer internet
cheese chocolate butterfly summer winter flower elephant blink182 liverpool chelsea arsenal
manchester manchesterunited barcelona juventus tottenham spiderman harrypotter hellokitty
iloveyoubaby babygirl sweetheart lovelove fuckyou fuckoff nopassword unknown
correcthorse letmein1 welcome1 password12 password123 iloveyou1 michelle samantha alexander
""".split())
# Common long passwords that are not a word with digits added.
COMMON_WHOLE = frozenset("""
1234567890 0123456789 9876543210 0987654321 1234512345 1234554321 1122334455 1234567899 12345678910
123456789a a123456789 abc1234567 abcd123456 abcde12345 1234567890a 123456789abc 123qweasdzxc
qweasdzxc123 1234qwerasdf qwer1234asdf 1q2w3e4r5t6y7u 1234abcd1234 0000011111 1111122222
147258369 1472583690 9632587410 7894561230 1593572580 123654789 1236547890
""".split())
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "azertyuiop",
                 "abcdefghijklmnopqrstuvwxyz")
AROUND = string.digits + string.punctuation


class PassphraseTooCommon(VigError):
    def __init__(self) -> None:
        super().__init__("that passphrase is one of the first that guessing programs try: choose another "
                         "(a few unrelated words are easy to remember and hard to guess)")


def check_passphrase(passphrase: str) -> None:
    """Raise `PassphraseTooShort` or `PassphraseTooCommon`; nothing is written before this passes."""
    if not isinstance(passphrase, str) or len(passphrase) < MIN_LENGTH:
        raise PassphraseTooShort()
    if is_common(passphrase):
        raise PassphraseTooCommon()


def is_common(passphrase: str) -> bool:
    folded = "".join(passphrase.casefold().split())
    core = folded.strip(AROUND)
    return (folded in COMMON_WHOLE or folded in COMMON_WORDS or core in COMMON_WORDS
            or _repeats_a_short_unit(folded) or _runs_along(folded) or (core != folded and _runs_along(core)))


def _repeats_a_short_unit(text: str) -> bool:
    """'aaaaaaaaaa', 'abcabcabcabc', '1212121212': a unit of up to four characters over and over."""
    return any(text == (text[:n] * (len(text) // n + 1))[:len(text)] for n in range(1, 5))


def _runs_along(text: str) -> bool:
    """A run along a keyboard row or the alphabet, forwards or backwards ('1234567890', 'poiuytrewq')."""
    if len(text) < 4:
        return False
    for row in KEYBOARD_ROWS:
        for line in (row, row[::-1], row + row, row[::-1] + row[::-1]):
            if text in line:
                return True
    return False
