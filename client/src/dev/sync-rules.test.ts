import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SyncRules } from './sync-rules';
import { imageLayout } from './sync-infer';

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=local/python',
  'FROM $BASE AS deps',
  'COPY requirements.txt /deps/',
  'FROM local/python',
  'ARG APP=/srv/app',
  'WORKDIR $APP',
  'COPY --chown=1000:1000 app.py ./',
  'COPY ["static", "static"]',
  'COPY templates/*.html \\',
  '     views/',
  'COPY --from=deps /deps /deps',
  'ADD https://example.invalid/x.tar.gz /opt/',
  'COPY conf/settings.toml /etc/app.toml',
  'CMD ["python3", "app.py"]',
].join('\n');

describe('sync rules', () => {
  it('manual rules: src glob, dest folder, strip prefix; the first matching rule wins', () => {
    const rules = SyncRules.from({
      manual: [
        { src: 'src/**/*.py', dest: '/app', strip: 'src/' },
        { src: '**/*.py', dest: '/other' },
      ],
    });
    assert.equal(rules.destinationOf('src/pkg/mod.py'), '/app/pkg/mod.py');
    assert.equal(rules.destinationOf('tools/x.py'), '/other/tools/x.py');
    assert.equal(rules.destinationOf('Dockerfile'), undefined);
  });

  it("a relative dest lands in the Dockerfile's last WORKDIR", () => {
    const rules = SyncRules.from({ manual: [{ src: '*.py', dest: '.' }] }, DOCKERFILE);
    assert.equal(rules.destinationOf('app.py'), '/srv/app/app.py');
    assert.equal(SyncRules.from({ manual: [{ src: '*.py', dest: 'code' }] }).destinationOf('a.py'), 'code/a.py');
  });

  it("infer: a matching file goes where the final stage's COPY put it", () => {
    const rules = SyncRules.from({ infer: ['**/*'] }, DOCKERFILE);
    assert.equal(rules.destinationOf('app.py'), '/srv/app/app.py');
    assert.equal(rules.destinationOf('static/css/site.css'), '/srv/app/static/css/site.css');
    assert.equal(rules.destinationOf('templates/index.html'), '/srv/app/views/index.html');
    assert.equal(rules.destinationOf('conf/settings.toml'), '/etc/app.toml');
    // copied only into an earlier stage, or not copied at all
    assert.equal(rules.destinationOf('requirements.txt'), undefined);
    assert.equal(rules.destinationOf('README.md'), undefined);
  });

  it('infer only covers files its globs match', () => {
    const rules = SyncRules.from({ infer: ['static/**'] }, DOCKERFILE);
    assert.equal(rules.destinationOf('static/a.css'), '/srv/app/static/a.css');
    assert.equal(rules.destinationOf('app.py'), undefined);
  });

  it('infer follows a build target, COPY . and the escape directive', () => {
    const text = [
      '# escape=`',
      'FROM a AS dev',
      'WORKDIR /w',
      'COPY . `',
      '  .',
      'FROM a AS prod',
      'COPY . /prod',
    ].join('\n');
    assert.equal(SyncRules.from({ infer: ['**'] }, text, 'dev').destinationOf('x/y.js'), '/w/x/y.js');
    assert.equal(SyncRules.from({ infer: ['**'] }, text).destinationOf('x/y.js'), '/prod/x/y.js');
  });

  it('a later COPY of the same file wins; ENV values expand', () => {
    const text = ['FROM a', 'ENV DIR=/one', 'COPY app.js $DIR/', 'ENV DIR /two', 'COPY app.js ${DIR}/'].join('\n');
    assert.equal(SyncRules.from({ infer: ['*.js'] }, text).destinationOf('app.js'), '/two/app.js');
  });

  it('reports rules it cannot read, with their index, and keeps the others', () => {
    const rules = SyncRules.from({
      manual: [
        { src: 'a[', dest: '/x' },
        { src: '../secrets/*', dest: '/x' },
        { src: '*.py', dest: '/app' },
      ],
      infer: ['{'],
    });
    assert.equal(rules.problems.length, 4);
    assert.match(rules.problems[0]!, /^sync\.manual\[0\]: /);
    assert.match(rules.problems[1]!, /leaves the build context/);
    assert.match(rules.problems[2]!, /^sync\.infer\[0\]: /);
    assert.match(rules.problems[3]!, /needs the Dockerfile/);
    assert.equal(rules.destinationOf('a.py'), '/app/a.py');
  });

  it('reads a Dockerfile written to break it without failing', () => {
    const hostile = [
      'FROM',
      'COPY',
      'COPY onlyone',
      'WORKDIR',
      'COPY [not json',
      'ENV',
      '\\',
      'FROM x AS',
      'COPY a b\\',
    ].join('\n');
    const layout = imageLayout(hostile);
    assert.ok(Array.isArray(layout.copies));
    assert.equal(imageLayout('').copies.length, 0);
  });
});
