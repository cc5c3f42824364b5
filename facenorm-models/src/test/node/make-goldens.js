// Writes the goldens that facenorm-models' Java ports of face-api's nets are tested against, by
// running @vladmandic/face-api@1.7.15 itself on tfjs' pure-JS CPU backend.
//   npm install && node make-goldens.js [--cache DIR] [--shared DIR] [--out DIR]
// Defaults: the cache of scripts/fetch-face-api.sh, ../../../../shared (beside the repo), and
// ../resources/face-api. See README.md for what is recorded and why.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const tf = faceapi.tf;

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const cacheRoot = process.env.FACENORM_CACHE || path.join(os.homedir(), '.cache', 'facenorm');
const modelDir = arg('--cache', path.join(cacheRoot, 'face-api', '1.7.15'));
const shared = arg('--shared', path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared'));
const outDir = arg('--out', path.resolve(__dirname, '..', 'resources', 'face-api'));

// Photos from ../shared/data (see its README): 3 FRL London (675x675, CC BY 4.0), 3 LFW (250x250).
// DecodeJpeg.java runs facenorm's one decoder (core's ImageCodec): core's compiled classes
// (./mvnw -q compile -pl facenorm-core) and slf4j-api from the local Maven repository.
function decoderClassPath() {
  const root = path.join(__dirname, '..', '..', '..', '..');
  const classes = path.join(root, 'facenorm-core', 'target', 'classes');
  const version = /<slf4j.version>([^<]+)</.exec(fs.readFileSync(path.join(root, 'pom.xml'), 'utf8'))[1];
  const jar = path.join(os.homedir(), '.m2', 'repository', 'org', 'slf4j', 'slf4j-api', version,
    `slf4j-api-${version}.jar`);
  for (const p of [path.join(classes, 'io', 'github', 'facenorm', 'core', 'internal', 'ImageCodec.class'), jar]) {
    if (!fs.existsSync(p)) {
      throw new Error(`${p} is missing: run ./mvnw -q compile -pl facenorm-core first`);
    }
  }
  return [classes, jar].join(path.delimiter);
}

const PHOTOS = [
  'frl-london/001/001_03.jpg',
  'frl-london/002/002_08.jpg',
  'frl-london/010/010_03.jpg',
  'lfw-devtrain/George_W_Bush/George_W_Bush_0001.jpg',
  'lfw-devtrain/George_W_Bush/George_W_Bush_0002.jpg',
  'lfw-devtrain/Serena_Williams/Serena_Williams_0001.jpg',
];

// The synthetic image, identical in Java (SyntheticImages.java): integer arithmetic only.
function synthetic(height, width, seed) {
  const data = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const v = (seed * 31 + x * x * (3 + c) + y * y * (5 + seed) + x * y * (7 + 2 * c)
          + x * (11 + seed) + y * (13 + c) + c * 101) % 256;
        data[(y * width + x) * 3 + c] = v;
      }
    }
  }
  return tf.tensor3d(data, [height, width, 3], 'float32');
}

function loadNet(net, name) {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, `${name}-weights_manifest.json`), 'utf8'));
  const map = {};
  for (const group of manifest) {
    const buffers = group.paths.map((p) => fs.readFileSync(path.join(modelDir, p)));
    const all = Buffer.concat(buffers);
    const ab = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
    Object.assign(map, tf.io.decodeWeights(ab, group.weights));
  }
  net.loadFromWeightMap(map);
}

const arr = (a) => Array.from(a, (v) => Number(v));
const box = (b) => ({ x: b.x, y: b.y, width: b.width, height: b.height });
const points = (lm) => lm.positions.flatMap((p) => [p.x, p.y]);

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  loadNet(faceapi.nets.faceRecognitionNet, 'face_recognition_model');
  loadNet(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
  loadNet(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
  fs.mkdirSync(outDir, { recursive: true });
  const versions = { faceApi: faceapi.version, tfjs: tf.version.tfjs, backend: tf.getBackend(), node: process.version };

  // (a) fixed synthetic tensors: the nets themselves, and their preprocessing.
  const synth = { generator: 'synthetic(height, width, seed) in make-goldens.js / SyntheticImages.java', versions,
    recognition: [], landmarks: [], detector: [] };
  for (const [h, w, seed] of [[150, 150, 1], [137, 171, 2]]) {
    const img = synthetic(h, w, seed);
    const d = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(img);
    synth.recognition.push({ height: h, width: w, seed, descriptor: arr(d) });
    img.dispose();
  }
  for (const [h, w, seed] of [[112, 112, 3], [96, 130, 4]]) {
    const img = synthetic(h, w, seed);
    const lm = await faceapi.nets.faceLandmark68Net.detectLandmarks(img);
    synth.landmarks.push({ height: h, width: w, seed, points: points(lm) });
    img.dispose();
  }
  for (const [h, w, seed, size] of [[416, 416, 5, 416], [200, 300, 6, 224]]) {
    const img = synthetic(h, w, seed);
    const netInput = await faceapi.toNetInput(img);
    const out = faceapi.nets.tinyFaceDetector.forwardInput(netInput, size);
    synth.detector.push({ height: h, width: w, seed, inputSize: size, shape: out.shape, output: arr(await out.data()) });
    out.dispose();
    img.dispose();
  }
  fs.writeFileSync(path.join(outDir, 'synthetic.json'), JSON.stringify(synth));

  // (b) photos through the whole pipeline, on pixels decoded by the JDK's ImageIO.
  const photos = { versions, detector: { inputSize: 416, scoreThreshold: 0.5 }, photos: [] };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'facenorm-goldens-'));
  try {
    for (const rel of PHOTOS) {
      const file = path.join(shared, 'data', rel);
      const raw = path.join(tmp, 'img.rgb');
      const [width, height] = execFileSync('java', ['-cp', decoderClassPath(), path.join(__dirname, 'DecodeJpeg.java'), file, raw])
        .toString().trim().split(/\s+/).map(Number);
      const bytes = fs.readFileSync(raw);
      const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
      const img = tf.tensor3d(new Int32Array(bytes), [height, width, 3], 'int32');
      const results = await faceapi.detectAllFaces(img, new faceapi.TinyFaceDetectorOptions())
        .withFaceLandmarks().withFaceDescriptors();
      photos.photos.push({
        file: rel, width, height, rgbSha256: sha256,
        faces: results.map((r) => ({
          score: r.detection.score, box: box(r.detection.box), landmarks: points(r.landmarks),
          alignedBox: box(r.alignedRect.box), descriptor: arr(r.descriptor),
        })),
      });
      img.dispose();
      process.stderr.write(`${rel}: ${results.length} face(s)\n`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(outDir, 'photos.json'), JSON.stringify(photos));
}

main().catch((e) => { console.error(e); process.exit(1); });
