import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { createServer, get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { selfSignedCertificate, stillValid } from './certificate';

describe('self-signed certificate', () => {
  it('is a valid certificate for 127.0.0.1 signed by its own key', () => {
    const material = selfSignedCertificate('kube-workbench');
    const cert = new X509Certificate(material.cert);
    assert.equal(cert.subject, 'CN=kube-workbench');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.ca, true);
    assert.ok(cert.verify(cert.publicKey));
    assert.ok(stillValid(material));
  });

  it('lets a TLS client that trusts only it connect to 127.0.0.1', async () => {
    const material = selfSignedCertificate('kube-workbench');
    const server = createServer(material, (_req, res) => res.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/', ca: material.cert }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      assert.equal(body, 'hello');
    } finally {
      server.close();
    }
  });
});
