"""The district's central broker: its CA, server certificate, accounts and ACL
(`kiosk fleet central`). Run again, it keeps what is there and adds new stations."""

from __future__ import annotations

import grp
import ipaddress
import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

from kiosk.config import NAME_PATTERN
from kiosk.fleet.bridge import FleetError, template

DISTRICT = "district"          # the dashboards' read-only account (central.acl.example)
HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}$")
DAYS = "3650"


def _openssl(*args: str) -> None:
    if shutil.which("openssl") is None:
        raise FleetError("openssl is missing: sudo apt-get install openssl")
    result = subprocess.run(["openssl", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise FleetError(f"openssl {args[0]} failed: {result.stderr.strip()[-300:]}")


def _private(path: Path) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)


def _readable_by_mosquitto(path: Path) -> str:
    """Root owns the key, the group mosquitto may read it: Mosquitto reads its files after
    it dropped to the mosquitto user. Says what it did."""
    try:
        group = grp.getgrnam("mosquitto").gr_gid
    except KeyError:
        return f"{path}: no group mosquitto here; on the server: sudo chown root:mosquitto {path}; sudo chmod 0640 {path}"
    if os.geteuid() != 0:
        return f"{path}: run as root to give it to the group mosquitto (sudo chown root:mosquitto {path})"
    os.chown(path, 0, group)
    path.chmod(0o640)
    return f"{path}: root:mosquitto 0640"


def _subject_alt_name(host: str) -> str:
    try:
        ipaddress.ip_address(host)
        return f"IP:{host}"
    except ValueError:
        return f"DNS:{host}"


def make_ca(folder: Path) -> None:
    key, cert = folder / "ca.key", folder / "ca.crt"
    if key.exists() and cert.exists():
        return
    _private(key)
    _openssl("req", "-x509", "-newkey", "rsa:3072", "-sha256", "-nodes", "-days", DAYS,
             "-subj", "/CN=District fleet CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", str(key), "-out", str(cert))
    cert.chmod(0o644)


def make_server_certificate(folder: Path, host: str) -> None:
    key, cert, request = folder / "server.key", folder / "server.crt", folder / "server.csr"
    if key.exists() and cert.exists():
        return
    _private(key)
    _openssl("req", "-newkey", "rsa:2048", "-sha256", "-nodes", "-subj", f"/CN={host}",
             "-keyout", str(key), "-out", str(request))
    extensions = folder / "server.ext"
    extensions.write_text(f"subjectAltName={_subject_alt_name(host)}\nextendedKeyUsage=serverAuth\n"
                          "basicConstraints=critical,CA:FALSE\n")
    _openssl("x509", "-req", "-in", str(request), "-CA", str(folder / "ca.crt"), "-CAkey", str(folder / "ca.key"),
             "-CAcreateserial", "-days", DAYS, "-sha256", "-extfile", str(extensions), "-out", str(cert))
    request.unlink()
    extensions.unlink()
    cert.chmod(0o644)


def add_account(folder: Path, name: str) -> bool:
    """An account in `passwd` with a new password in accounts/NAME.password; False when it
    was there already."""
    if shutil.which("mosquitto_passwd") is None:
        raise FleetError("mosquitto_passwd is missing: sudo apt-get install mosquitto")
    passwords = folder / "accounts"
    passwords.mkdir(mode=0o700, exist_ok=True)
    secret_file = passwords / f"{name}.password"
    passwd = folder / "passwd"
    known = passwd.exists() and any(line.split(":", 1)[0] == name for line in passwd.read_text().splitlines())
    if known and secret_file.exists():
        return False
    password = secrets.token_urlsafe(24)
    _private(secret_file)
    secret_file.write_text(password + "\n", encoding="utf-8")
    if not passwd.exists():
        _private(passwd)
    result = subprocess.run(["mosquitto_passwd", "-b", str(passwd), name, password], capture_output=True, text=True)
    if result.returncode != 0:
        raise FleetError(f"mosquitto_passwd failed for {name}: {result.stderr.strip()}")
    return True


def check(host: str, stations: list[str]) -> None:
    """Raise FleetError unless `host` is a host name or address and every station id is one."""
    if not HOST.fullmatch(host) or host.startswith(("-", ".")):
        raise FleetError(f"--host must be the server's name as the stations reach it (not {host!r})")
    for station in stations:
        if not NAME_PATTERN.fullmatch(station) or station == DISTRICT:
            raise FleetError(f"station id {station!r}: 1-32 characters of a-z, 0-9 and '-', and not '{DISTRICT}'")


def central_files(folder: Path, host: str, stations: list[str]) -> list[str]:
    """Make (or complete) a central broker's files in `folder`; the lines to tell the user."""
    check(host, stations)
    folder.mkdir(parents=True, exist_ok=True)
    make_ca(folder)
    make_server_certificate(folder, host)
    said = []
    for name in [DISTRICT, *stations]:
        if add_account(folder, name):
            said.append(f"account {name}: password in {folder}/accounts/{name}.password")
    acl = folder / "central.acl"
    if not acl.exists():
        acl.write_text(template("central.acl.example"), encoding="utf-8")
    conf = folder / "central.conf"
    if not conf.exists():
        conf.write_text(template("central.conf.example").replace("/etc/mosquitto/central/", f"{folder.resolve()}/"),
                        encoding="utf-8")
    for path in (folder / "server.key", folder / "passwd", acl):
        said.append(_readable_by_mosquitto(path))
    return said


def run(config, args) -> int:
    folder = Path(args.dir)
    for line in central_files(folder, args.host, args.station):
        print(line)
    print(f"next: sudo cp {folder}/central.conf /etc/mosquitto/conf.d/ && sudo systemctl restart mosquitto;\n"
          f"each station gets {folder}/ca.crt and its password file (docs/deploy.md, \"A district-wide fleet\")")
    return 0
