import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ContainerStartError } from './runtime';
import { subPathOf } from './pod-volumes';

describe('subPathOf', () => {
  it('reads subPath, or subPathExpr expanded from the container env', () => {
    assert.equal(subPathOf({ name: 'v' }), undefined);
    assert.equal(subPathOf({ name: 'v', subPath: 'conf/./app.conf' }), 'conf/app.conf');
    const env = [{ name: 'POD_NAME', value: 'web-1' }];
    assert.equal(subPathOf({ name: 'v', subPathExpr: 'logs/$(POD_NAME)' }, env), 'logs/web-1');
    assert.equal(subPathOf({ name: 'v', subPathExpr: '$$(POD_NAME)' }, env), '$(POD_NAME)');
  });

  it('refuses a path that leaves the volume', () => {
    for (const subPath of ['/etc', 'a/../../b', '..']) {
      assert.throws(
        () => subPathOf({ name: 'v', subPath }),
        (e: unknown) => e instanceof ContainerStartError && e.reason === 'CreateContainerConfigError',
      );
    }
    assert.throws(() => subPathOf({ name: 'v', subPathExpr: '$(DIR)/x' }, [{ name: 'DIR', value: '/' }]));
  });
});
