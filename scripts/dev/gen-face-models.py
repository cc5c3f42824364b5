#!/usr/bin/env python3
"""Generates facenorm-core's internal/FaceShapeModels.java: the 3-D head model that HeadPose fits and
the smile direction that QualityFilters projects onto. Run by hand; the output is committed.

Inputs (not in the repository):
  1. npm pack @mediapipe/face_mesh@0.4.1657299874 (Apache-2.0; sha256 c08a7e07...3bc7): the canonical
     face mesh (468 vertices, cm) inside face_mesh_solution_packed_assets.data, bytes 3737848..+19376
     (a protobuf: field 1 Mesh3d, vertex_buffer = x y z u v per vertex).
  2. npm pack @vladmandic/human@3.3.6 (MIT; sha256 425e9c51...d6f3a7): src/face/facemeshcoords.ts,
     VTX68 = the mesh vertex of each iBUG-68 landmark.
  3. dlib's 68 landmarks on FRL London (CC BY 4.0, DeBruine & Jones 2017) photos NNN_03 (neutral)
     and NNN_08 (smiling), as written by FrlFilterCalibrationTest to
     facenorm-core/target/frl-landmarks.csv. Only EVEN person ids are used here (the tuning half);
     the odd ids are kept for the held-out rates.

Model: depth z of each landmark from the mesh; x, y = the mean (similarity-aligned to the mesh's
x, y), made left-right symmetric, of the even-id neutral FRL shapes; plus K identity modes (2-D PCA of those shapes, z = 0)
with their variances. Smile: Fisher discriminant (shrunk pooled covariance) between even-id
neutral and smiling mouths (points 48..67), after a similarity alignment of points 17..47 to the
model; scaled so that the neutral mean is 0 and the smiling mean is 1.

usage: gen-face-models.py face_mesh_solution_packed_assets.data facemeshcoords.ts frl-landmarks.csv out.java
"""
import re
import sys

import numpy as np

K = 5
RIDGE = 0.05  # sigma^2 of the landmark noise relative to the mode variances (cm^2)
SHRINK = 0.3
POSE_POINTS = list(range(68))
ALIGN_POINTS = list(range(17, 48))
MOUTH = list(range(48, 68))
MIRROR = (
    list(range(16, -1, -1))
    + list(range(26, 21, -1))
    + list(range(21, 16, -1))
    + [27, 28, 29, 30, 35, 34, 33, 32, 31]
    + [45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40]
    + [54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55]
    + [64, 63, 62, 61, 60, 67, 66, 65]
)


def varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def fields(b):
    i, out = 0, []
    while i < len(b):
        k, i = varint(b, i)
        f, t = k >> 3, k & 7
        if t == 0:
            v, i = varint(b, i)
        elif t == 2:
            n, i = varint(b, i)
            v = b[i : i + n]
            i += n
        elif t == 5:
            v = b[i : i + 4]
            i += 4
        elif t == 1:
            v = b[i : i + 8]
            i += 8
        else:
            raise ValueError(t)
        out.append((f, t, v))
    return out


def mesh68(data_path, ts_path):
    blob = open(data_path, "rb").read()[3737848 : 3737848 + 19376]
    mesh = [v for f, t, v in fields(blob) if f == 1][0]
    vb = b"".join(v for f, t, v in fields(mesh) if f == 3)
    V = np.frombuffer(vb, dtype="<f4").reshape(-1, 5)
    ts = open(ts_path).read()
    m = re.search(r"VTX68: number\[\] = \[(.*?)\];", ts, re.S)
    idx = [int(x) for x in re.findall(r"\d+", re.sub(r"/\*.*?\*/", "", m.group(1)))]
    P = V[idx, :3].astype(float)
    P[:, 1] = -P[:, 1]  # image convention: y down; z toward the camera
    return P


def sim_align(x, Y, idx):
    mx, my = x[idx].mean(0), Y[idx].mean(0)
    xc, yc = x[idx] - mx, Y[idx] - my
    n = (xc**2).sum()
    a = (xc * yc).sum() / n
    b = (xc[:, 0] * yc[:, 1] - xc[:, 1] * yc[:, 0]).sum() / n
    R = np.array([[a, -b], [b, a]])
    return (x - mx) @ R.T + my


def main():
    data, ts, csv, out = sys.argv[1:5]
    M = mesh68(data, ts)
    rows = [l.strip().split(",") for l in open(csv)]
    names = [r[0] for r in rows]
    L = np.array([[float(v) for v in r[1:]] for r in rows]).reshape(-1, 68, 2)
    ids = np.array([int(n[:3]) for n in names])
    smile = np.array(["_08" in n for n in names])
    even = ids % 2 == 0
    A = np.array([sim_align(L[i], M[:, :2], list(range(68))) for i in np.where(even & ~smile)[0]])
    mean2 = A.mean(0)
    # A mean face is left-right symmetric: average it with its mirror image (so a frontal face
    # reads yaw 0 and a level eye line).
    mean2 = mean2 - [mean2[:, 0].mean(), 0]
    mean2 = 0.5 * (mean2 + mean2[MIRROR] * [-1, 1])
    D = (A - mean2).reshape(len(A), -1)
    _, S, Vt = np.linalg.svd(D, full_matrices=False)
    var = S[:K] ** 2 / len(A)
    modes = Vt[:K]
    model = np.column_stack([mean2, M[:, 2]])
    # smile direction
    Al = np.array([sim_align(L[i], model[:, :2], ALIGN_POINTS) for i in range(len(L))])
    X = Al[:, MOUTH].reshape(len(L), -1)
    X0, X1 = X[even & ~smile], X[even & smile]
    mu0, mu1 = X0.mean(0), X1.mean(0)
    Sw = np.cov(np.vstack([X0 - mu0, X1 - mu1]).T)
    Sw = Sw + SHRINK * np.trace(Sw) / len(Sw) * np.eye(len(Sw))
    w = np.linalg.solve(Sw, mu1 - mu0)
    scale = w @ (mu1 - mu0)
    w = w / scale
    bias = -(w @ mu0)

    def arr(name, a, per=6):
        a = np.asarray(a).ravel()
        s = ",\n      ".join(
            ", ".join("%.9g" % v for v in a[i : i + per]) for i in range(0, len(a), per)
        )
        return "  static final double[] %s = {\n      %s\n  };\n" % (name, s)

    with open(out, "w") as f:
        f.write(
            "package io.github.facenorm.core.internal;\n\n"
            "/**\n * Generated by scripts/dev/gen-face-models.py; do not edit. Derived from the MediaPipe\n"
            " * canonical face mesh (Apache-2.0), the VTX68 map of @vladmandic/human (MIT) and dlib landmarks\n"
            " * on the even-numbered people of FRL London (CC BY 4.0, DeBruine &amp; Jones 2017).\n */\n"
            "final class FaceShapeModels {\n\n  private FaceShapeModels() {}\n\n"
            "  /** Mean head: x, y, z per landmark (cm; y down, z toward the camera). */\n"
            + arr("MEAN_SHAPE", model)
            + "\n  /** Identity modes, %d × 68 × (x, y), unit length. */\n" % K
            + arr("MODES", modes)
            + "\n  /** Variance of each mode (cm²). */\n"
            + arr("MODE_VARIANCES", var)
            + "\n  /** Landmark noise variance relative to the mode variances (cm²). */\n"
            + "  static final double RIDGE = %r;\n" % RIDGE
            + "\n  /** Smile direction over the aligned mouth points 48..67, (x, y) each. */\n"
            + arr("SMILE_WEIGHTS", w)
            + "\n  /** Smile score offset: neutral mean 0, smiling mean 1. */\n"
            + "  static final double SMILE_BIAS = %.9g;\n}\n" % bias
        )
    print("modes var", var, "smile bias", bias)


if __name__ == "__main__":
    main()
