import { createSandboxCertificates } from './ca';
import { X509Certificate } from 'node:crypto';
void (async () => {
for (let i = 0; i < 3; i++) {
const t = Date.now();
const c = await createSandboxCertificates();
console.log('ms', Date.now() - t);
const x = new X509Certificate(c.certPem);
console.log(x.subjectAltName, x.checkIssued(new X509Certificate(c.caPem)), x.verify(new X509Certificate(c.caPem).publicKey));
}
})();
