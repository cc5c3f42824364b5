// Writes the goldens that facenorm-models' Java port of the facemesh graph (FaceMeshNet) is tested
// against, by running @vladmandic/human@3.3.6's models/facemesh.json on tfjs 4.22.0's pure-JS CPU
// backend (no native binding).
//   npm install && node make-goldens.js [--cache DIR] [--shared DIR] [--out DIR]
// Defaults: the cache of scripts/fetch-face3d.sh, ../../../../../shared and ../resources/face3d.
// See README.md for what is recorded.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfconv = require('@tensorflow/tfjs-converter');
const jpeg = require('jpeg-js');

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const cacheRoot = process.env.FACENORM_CACHE || path.join(os.homedir(), '.cache', 'facenorm');
const modelDir = arg('--cache', path.join(cacheRoot, 'face3d', 'human', '3.3.6'));
const shared = arg('--shared', path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared'));
const outDir = arg('--out', path.resolve(__dirname, '..', 'resources', 'face3d'));
const SIZE = 192;

// The synthetic image, identical in Java (FaceMeshNetTest.synthetic): integer arithmetic only,
// values 0..255, then /255 like a photo.
function synthetic(seed) {
  const data = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      for (let c = 0; c < 3; c++) {
        data[(y * SIZE + x) * 3 + c] = (seed * 31 + x * x * (3 + c) + y * y * (5 + seed)
          + x * y * (7 + 2 * c) + x * (11 + seed) + y * (13 + c) + c * 101) % 256;
      }
    }
  }
  return data;
}

// A 192x192 face crop of FRL London 001_03 (CC BY 4.0, DeBruine & Jones 2017): the square around
// the .tem landmarks' box, 1.2x its larger side, bilinear (half-pixel centres). Its RGB8 bytes are
// committed (gzip), so the Java test and this script read the same pixels whatever the JPEG decoder.
function frlCrop() {
  const dir = path.join(shared, 'data', 'frl-london', '001');
  const img = jpeg.decode(fs.readFileSync(path.join(dir, '001_03.jpg')), { useTArray: true });
  const lines = fs.readFileSync(path.join(dir, '001_03.tem'), 'utf8').split('\n');
  const n = parseInt(lines[0], 10);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 1; i <= n; i++) {
    const [x, y] = lines[i].trim().split(/\s+/).map(Number);
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const side = 1.2 * Math.max(x1 - x0, y1 - y0);
  const left = (x0 + x1) / 2 - side / 2, top = (y0 + y1) / 2 - side / 2;
  const out = new Uint8Array(SIZE * SIZE * 3);
  const at = (x, y, c) => {
    const xi = Math.min(Math.max(x, 0), img.width - 1), yi = Math.min(Math.max(y, 0), img.height - 1);
    return img.data[(yi * img.width + xi) * 4 + c];
  };
  for (let r = 0; r < SIZE; r++) {
    for (let q = 0; q < SIZE; q++) {
      const sx = left + (q + 0.5) * side / SIZE - 0.5, sy = top + (r + 0.5) * side / SIZE - 0.5;
      const fx = Math.floor(sx), fy = Math.floor(sy), ax = sx - fx, ay = sy - fy;
      for (let c = 0; c < 3; c++) {
        const v = (1 - ay) * ((1 - ax) * at(fx, fy, c) + ax * at(fx + 1, fy, c))
          + ay * ((1 - ax) * at(fx, fy + 1, c) + ax * at(fx + 1, fy + 1, c));
        out[(r * SIZE + q) * 3 + c] = Math.round(v);
      }
    }
  }
  return { pixels: out, box: [left, top, side] };
}

async function main() {
  await tf.setBackend('cpu');
  const topology = JSON.parse(fs.readFileSync(path.join(modelDir, 'facemesh.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(modelDir, 'facemesh.bin'));
  const model = await tfconv.loadGraphModel({
    load: async () => ({
      modelTopology: topology.modelTopology,
      format: topology.format,
      generatedBy: topology.generatedBy,
      convertedBy: topology.convertedBy,
      signature: topology.signature,
      weightSpecs: topology.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  });
  fs.mkdirSync(outDir, { recursive: true });
  const crop = frlCrop();
  fs.writeFileSync(path.join(outDir, 'frl-001_03-192.rgb.gz'), zlib.gzipSync(Buffer.from(crop.pixels), { level: 9 }));
  const inputs = [
    { name: 'synthetic-1', source: 'synthetic(seed 1)', pixels: synthetic(1) },
    { name: 'synthetic-4', source: 'synthetic(seed 4)', pixels: synthetic(4) },
    { name: 'frl-001_03', source: 'frl-001_03-192.rgb.gz (box ' + crop.box.map((v) => v.toFixed(3)).join(', ') + ')', pixels: crop.pixels },
  ];
  const cases = [];
  for (const input of inputs) {
    const x = tf.tidy(() => tf.tensor4d(Float32Array.from(input.pixels, (v) => v / 255), [1, SIZE, SIZE, 3]));
    const out = model.execute(x, ['Identity_2:0', 'Identity_1:0', 'Identity:0']);
    const [mesh, flag, contours] = await Promise.all(out.map((t) => t.data()));
    cases.push({
      name: input.name,
      input: input.source,
      mesh: Array.from(mesh),
      faceflag: flag[0],
      contours: Array.from(contours),
    });
    tf.dispose([x, ...out]);
  }
  const golden = {
    generator: 'facenorm-models/src/test/node-face3d/make-goldens.js',
    model: '@vladmandic/human@3.3.6 models/facemesh.json (sha256 b60ca26f404724f43bd2b1575761d8265180e1f053cc0731caa68462927309e7)',
    tfjs: '@tensorflow/tfjs-core/-converter/-backend-cpu 4.22.0, backend ' + tf.getBackend(),
    inputScale: 'RGB8 / 255, [1, 192, 192, 3]',
    cases,
  };
  fs.writeFileSync(path.join(outDir, 'facemesh-goldens.json'), JSON.stringify(golden));
  console.log('wrote', path.join(outDir, 'facemesh-goldens.json'), cases.map((c) => c.name + ' flag ' + c.faceflag.toFixed(4)).join('; '));
}

main().catch((e) => { console.error(e); process.exit(1); });
