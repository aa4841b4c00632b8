/**
 * A throwaway certificate authority, made fresh at every start. MSAL only accepts an
 * `https://` authority and the Graph client only attaches tokens to `https://` URLs, so
 * the sandbox serves TLS; clients trust exactly this CA, never "any certificate".
 */
import { generateKeyPair, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPairAsync = promisify(generateKeyPair);

// forge exports this at run time (it is how `cert.sign` gets the bytes to sign) but its
// type definitions leave it out.
declare module 'node-forge' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- augmenting forge's own `pki` namespace
  namespace pki {
    function getTBSCertificate(cert: Certificate): asn1.Asn1;
  }
}

export interface SandboxCertificates {
  /** The CA certificate: what clients trust. */
  caPem: string;
  /** Server certificate (for 127.0.0.1, localhost, ::1) and its key. */
  certPem: string;
  keyPem: string;
}

const ONE_DAY_IN_MS = 24 * 60 * 60 * 1000;

interface KeyPair {
  publicKey: forge.pki.rsa.PublicKey;
  privatePem: string;
}

/**
 * Node generates the RSA keys (native, on the thread pool so both run at once) and signs;
 * forge only lays out the certificates. forge's own JS key generation and signing take
 * seconds, and forge cannot carry EC keys.
 */
async function rsaKeyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey: forge.pki.publicKeyFromPem(publicKey), privatePem: privateKey };
}

let keyPairs: Promise<[KeyPair, KeyPair]> | null = null;

/**
 * Keys are made once per process and reused; certificates (serials, validity) are fresh at
 * every start. RSA key generation is the slow part (0.2–1.5 s on a busy 2-core machine) and
 * test suites start many sandboxes; sharing a key between sandboxes of one process trusts
 * nothing outside it.
 */
function processKeyPairs(): Promise<[KeyPair, KeyPair]> {
  keyPairs ??= Promise.all([rsaKeyPair(), rsaKeyPair()]);
  keyPairs.catch(() => {
    keyPairs = null;
  });
  return keyPairs;
}

/** Sign with Node's native RSA instead of forge's `cert.sign` (about 100x faster). */
function signNatively(cert: forge.pki.Certificate, issuerPrivatePem: string): void {
  const oid = forge.pki.oids['sha256WithRSAEncryption'] ?? '1.2.840.113549.1.1.11';
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  const tbsDer = forge.asn1.toDer(forge.pki.getTBSCertificate(cert)).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbsDer, 'binary'), issuerPrivatePem).toString('binary');
}

function serialNumber(): string {
  // Positive (high bit clear) 16-byte serial, as RFC 5280 asks.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

export async function createSandboxCertificates(now: Date = new Date()): Promise<SandboxCertificates> {
  const notBefore = new Date(now.getTime() - ONE_DAY_IN_MS);
  const notAfter = new Date(now.getTime() + 30 * ONE_DAY_IN_MS);

  const [caKeys, serverKeys] = await processKeyPairs();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serialNumber();
  ca.validity.notBefore = notBefore;
  ca.validity.notAfter = notAfter;
  const caName = [
    { name: 'commonName', value: 'TAP helpdesk sandbox CA' },
    { name: 'organizationName', value: 'Sandbox tenant (not trusted anywhere else)' },
  ];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signNatively(ca, caKeys.privatePem);

  const server = forge.pki.createCertificate();
  server.publicKey = serverKeys.publicKey;
  server.serialNumber = serialNumber();
  server.validity.notBefore = notBefore;
  server.validity.notAfter = notAfter;
  server.setSubject([{ name: 'commonName', value: 'localhost' }]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  signNatively(server, caKeys.privatePem);

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(server),
    keyPem: serverKeys.privatePem,
  };
}
