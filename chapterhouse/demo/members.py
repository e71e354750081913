"""The demo admin's second factor: a known authenticator key and backup codes, public on
purpose (it is a demo), printed by `seed_demo` so anyone can log in as the admin."""

from __future__ import annotations

from base64 import b32encode
from binascii import hexlify

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chapterhouse.members.models import Member

DEMO_TOTP_KEY = hexlify(b"chapterhouse demo 2f").decode()  # 20 bytes, as TOTP keys are
DEMO_BACKUP_CODES = tuple(f"demo{n:04d}" for n in range(1, 11))


def demo_totp_secret() -> str:
    """The key as authenticator apps take it (base32)."""
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def demo_otpauth_url() -> str:
    """What an authenticator app's QR code would hold for the demo admin."""
    return (f"otpauth://totp/Chapterhouse%20demo:admin?secret={demo_totp_secret()}"
            "&issuer=Chapterhouse%20demo")


def seed_second_factor(member: Member) -> TOTPDevice:
    """Give `member` the demo authenticator and the demo backup codes (replacing any)."""
    TOTPDevice.objects.filter(user=member).delete()
    StaticDevice.objects.filter(user=member).delete()
    device = TOTPDevice.objects.create(user=member, name="demo authenticator",
                                       key=DEMO_TOTP_KEY, confirmed=True)
    backup = StaticDevice.objects.create(user=member, name="backup codes")
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=c)
                                    for c in DEMO_BACKUP_CODES)
    return device
