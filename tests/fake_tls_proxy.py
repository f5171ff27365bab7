"""An HTTPS proxy for tests that answers for real host names (login.microsoftonline.com) from a local server.

Some clients cannot be pointed at a plain-HTTP fake: MSAL, which fetches the bot's Microsoft Entra tokens
for botbuilder, accepts only an https authority on a host Microsoft knows, and otherwise asks
login.microsoftonline.com whether the host is genuine. Clients built on `requests` honour the `https_proxy`
and `REQUESTS_CA_BUNDLE` environment variables, so a test sets both (see `environment`): the client opens a
CONNECT tunnel here, this proxy completes TLS with a certificate for the asked host, signed by a CA made for
the test, and forwards the plain HTTP to the fake server's port. Hosts it was not told about are refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass
class FakeTlsProxy:
    """`hosts` are answered by the plain-HTTP server on 127.0.0.1:`upstream_port`."""

    hosts: frozenset[str]
    upstream_port: int
    directory: Path  # where the certificates are written
    tunnels: list[str] = field(default_factory=list)  # the host of every tunnel opened, in order
    port: int = 0
    _server: asyncio.Server | None = None
    _tls: ssl.SSLContext | None = None
    _connections: set[asyncio.StreamWriter] = field(default_factory=set)
    _tunnels_open: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ca_file(self) -> Path:
        return self.directory / "fake-ca.pem"

    def environment(self) -> dict[str, str]:
        """What a `requests` client needs to go through this proxy and trust its certificates."""
        return {"https_proxy": self.url, "HTTPS_PROXY": self.url, "REQUESTS_CA_BUNDLE": str(self.ca_file)}

    async def start(self) -> None:
        certificate, key = self.directory / "fake-host.pem", self.directory / "fake-host-key.pem"
        _write_certificates(sorted(self.hosts), self.ca_file, certificate, key)
        self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._tls.load_cert_chain(certificate, key)
        self._server = await asyncio.start_server(self._tunnel, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._connections):
            # Clients keep their connections for the next request; abort() ends both pipes of every tunnel
            # at once, where close() would wait up to 30 s for the client's TLS goodbye.
            writer.transport.abort()
        await asyncio.gather(*self._tunnels_open, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _tunnel(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tunnels_open.add(task)
            task.add_done_callback(self._tunnels_open.discard)
        try:
            request = (await reader.readline()).decode("latin-1").split()
            while (await reader.readline()) not in (b"\r\n", b""):
                pass  # the CONNECT request's headers
            host = request[1].rpartition(":")[0] if len(request) == 3 and request[0] == "CONNECT" else ""
            if host not in self.hosts:
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            self.tunnels.append(host)
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            assert self._tls is not None, "started"
            await writer.start_tls(self._tls)
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            self._connections.add(upstream_writer)
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        except (OSError, ssl.SSLError, asyncio.IncompleteReadError):
            pass  # the client went away
        finally:
            writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


def _write_certificates(hosts: list[str], ca_file: Path, certificate_file: Path, key_file: Path) -> None:
    """A CA for the test and a server certificate for `hosts` that it signed, as PEM files."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "talepbot test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
