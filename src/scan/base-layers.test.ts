import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseLayerDiffIds } from './base-layers.js';

test('the base image ends at its last CMD that more layers follow', () => {
  const config = {
    rootfs: { type: 'layers', diff_ids: ['sha256:a', 'sha256:b', 'sha256:c'] },
    history: [
      { created_by: '/bin/sh -c #(nop) ADD file:123 in / ' },
      { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
      { created_by: 'RUN /bin/sh -c apt-get install -y curl # buildkit' },
      { created_by: 'COPY app /app # buildkit' },
      { created_by: 'CMD ["/app/run"]', empty_layer: true },
    ],
  };
  assert.deepEqual([...baseLayerDiffIds(config)], ['sha256:a']);
});

test('no CMD marker (or only a final one) means no known base', () => {
  const config = {
    rootfs: { type: 'layers', diff_ids: ['sha256:a', 'sha256:b'] },
    history: [
      { created_by: 'ADD rootfs.tar /' },
      { created_by: 'RUN true' },
      { created_by: 'CMD ["sh"]', empty_layer: true },
    ],
  };
  assert.equal(baseLayerDiffIds(config).size, 0);
});
