"""Checks a gated Pixelfly training step against the chain rule, without
sharing its derivation: finite differences of the layer's loss in float64.

The step is Inputs/train-momentum-step.mlir sparsified with gamma=gate: the
layer `Y = g .* (X B^T) + (1 - g) .* (X V U^T)`, `g = sigmoid(X w + b)` per
token, and SGD with momentum. With every momentum zero the updated momenta
are the parameters' gradients of `L = <dY, Y>` (the step's dY is that
loss's output gradient), and dX is its input gradient.

  gate_gradients.py driver   prints @main: seeded data, one call of the
                             step, then B (densified), Y, dX and the
                             gradients of B (densified), U, V, w and b
  gate_gradients.py check F  reads that output (mlir-runner's) and checks
                             Y and, along random directions, every
                             gradient against central differences of L
"""

import math
import random
import re
import sys

M, N, K, R = 7, 64, 64, 16


def data():
    rng = random.Random(19)

    def mat(rows, cols, scale):
        # Never 0: the layout is read back as where B is not zero.
        return [[round(rng.uniform(-scale, scale), 4) or scale
                 for _ in range(cols)] for _ in range(rows)]

    return {
        "x": mat(M, K, 1.0),
        "w": mat(N, K, 1.0),
        "u": mat(N, R, 0.5),
        "v": mat(K, R, 0.5),
        "gw": mat(1, K, 0.2)[0],
        "gb": round(rng.uniform(-0.5, 0.5), 4),
        "dy": mat(M, N, 1.0),
    }


def literal(value):
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return repr(float(value))


def driver():
    d = data()
    f = "tensor<{}xf32>".format
    print(f"""func.func private @printMemrefF32(tensor<*xf32>)

func.func @show(%t: tensor<?x?xf32>) {{
  %u = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}}

func.func @dense(%blocks: tensor<8x16x16xf32>) -> tensor<?x?xf32> {{
  %e = tensor.empty() : tensor<64x64xf32>
  %d = pixelfly.densify ins(%blocks : tensor<8x16x16xf32>) outs(%e : tensor<64x64xf32>) layout(#layout) -> tensor<64x64xf32>
  %r = tensor.cast %d : tensor<64x64xf32> to tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}}

func.func @main() {{
  %x = arith.constant dense<{literal(d["x"])}> : {f("7x64")}
  %w = arith.constant dense<{literal(d["w"])}> : {f("64x64")}
  %u = arith.constant dense<{literal(d["u"])}> : {f("64x16")}
  %v = arith.constant dense<{literal(d["v"])}> : {f("64x16")}
  %gw = arith.constant dense<{literal(d["gw"])}> : {f("64")}
  %gb = arith.constant dense<{literal(d["gb"])}> : tensor<f32>
  %dy = arith.constant dense<{literal(d["dy"])}> : {f("7x64")}
  %lr = arith.constant dense<0.5> : tensor<f32>
  %mu = arith.constant dense<0.25> : tensor<f32>
  %z0 = arith.constant dense<0.0> : tensor<f32>
  %z1 = arith.constant dense<0.0> : tensor<64xf32>
  %z2 = arith.constant dense<0.0> : tensor<64x16xf32>
  %z3 = arith.constant dense<0.0> : tensor<64x64xf32>
  %b, %mb = func.call @step_pack(%w, %z3) : (tensor<64x64xf32>, tensor<64x64xf32>) -> (tensor<8x16x16xf32>, tensor<8x16x16xf32>)
  %y, %dx, %b2, %u2, %v2, %gw2, %gb2, %db, %du, %dv, %dgw, %dgb = func.call @step(%x, %b, %u, %v, %gw, %gb, %dy, %mb, %z2, %z2, %z1, %z0, %lr, %mu)
      : (tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<f32>, tensor<7x64xf32>,
         tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<f32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<f32>,
         tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<f32>)
  %bd = func.call @dense(%b) : (tensor<8x16x16xf32>) -> tensor<?x?xf32>
  func.call @show(%bd) : (tensor<?x?xf32>) -> ()
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  func.call @show(%y_) : (tensor<?x?xf32>) -> ()
  %dx_ = tensor.cast %dx : tensor<7x64xf32> to tensor<?x?xf32>
  func.call @show(%dx_) : (tensor<?x?xf32>) -> ()
  %dbd = func.call @dense(%db) : (tensor<8x16x16xf32>) -> tensor<?x?xf32>
  func.call @show(%dbd) : (tensor<?x?xf32>) -> ()
  %du_ = tensor.cast %du : tensor<64x16xf32> to tensor<?x?xf32>
  func.call @show(%du_) : (tensor<?x?xf32>) -> ()
  %dv_ = tensor.cast %dv : tensor<64x16xf32> to tensor<?x?xf32>
  func.call @show(%dv_) : (tensor<?x?xf32>) -> ()
  %dgw_ = tensor.cast %dgw : tensor<64xf32> to tensor<*xf32>
  func.call @printMemrefF32(%dgw_) : (tensor<*xf32>) -> ()
  %dgb_ = tensor.cast %dgb : tensor<f32> to tensor<*xf32>
  func.call @printMemrefF32(%dgb_) : (tensor<*xf32>) -> ()
  return
}}""")


NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|nan|inf)")


def read(path):
    """The printed memrefs, each a flat list, in order."""
    text = open(path).read()
    out = []
    for chunk in text.split("Unranked Memref")[1:]:
        out.append([float(v) for v in NUMBER.findall(chunk.split("data =")[1])])
    return out


def shaped(flat, cols):
    return [flat[i:i + cols] for i in range(0, len(flat), cols)]


def forward(p):
    """Y of the gated layer in float64."""
    x, b, u, v, gw, gb = p["x"], p["b"], p["u"], p["v"], p["gw"], p["gb"]
    y = []
    for m in range(M):
        g = 1.0 / (1.0 + math.exp(-(gb + sum(x[m][k] * gw[k]
                                               for k in range(K)))))
        xv = [sum(x[m][k] * v[k][r] for k in range(K)) for r in range(R)]
        y.append([g * sum(x[m][k] * b[n][k] for k in range(K)) +
                  (1 - g) * sum(xv[r] * u[n][r] for r in range(R))
                  for n in range(N)])
    return y


def loss(p, dy):
    y = forward(p)
    return sum(dy[m][n] * y[m][n] for m in range(M) for n in range(N))


def flat(value):
    if isinstance(value, list):
        return [e for v in value for e in flat(v)]
    return [value]


def rebuild(like, values):
    """`values` (flat) in the nesting of `like`."""
    it = iter(values)

    def build(v):
        if isinstance(v, list):
            return [build(e) for e in v]
        return next(it)

    return build(like)


def check(path):
    d = data()
    arrays = read(path)
    if len(arrays) != 8:
        sys.exit(f"expected 8 printed arrays, found {len(arrays)}")
    bd, y, dx, db, du, dv, dgw, dgb = arrays
    p = {"x": d["x"], "b": shaped(bd, K), "u": d["u"], "v": d["v"],
         "gw": d["gw"], "gb": d["gb"]}
    # Y first: the gate and the mix in the forward product.
    ref = flat(forward(p))
    err = max(abs(a - e) for a, e in zip(y, ref))
    scale = max(abs(e) for e in ref)
    ok = err <= 1e-4 * scale
    print(f"Y: max error {err:.3g} (scale {scale:.3g}) {'ok' if ok else 'FAIL'}")
    # The layout is where B is not zero; B's gradient must vanish elsewhere.
    mask = [1.0 if e != 0.0 else 0.0 for e in bd]
    outside = max(abs(g) for g, on in zip(db, mask) if on == 0.0)
    print(f"B's gradient off the layout: {outside:.3g} "
          f"{'ok' if outside == 0.0 else 'FAIL'}")
    ok = ok and outside == 0.0
    grads = {"x": dx, "b": db, "u": du, "v": dv, "gw": dgw, "gb": dgb}
    rng = random.Random(7)
    h = 1e-4
    for name in ["x", "b", "u", "v", "gw", "gb"]:
        base = flat(p[name])
        for trial in range(3):
            direction = [rng.uniform(-1, 1) for _ in base]
            if name == "b":
                direction = [e * on for e, on in zip(direction, mask)]
            plus, minus = dict(p), dict(p)
            plus[name] = rebuild(p[name], [a + h * e for a, e in
                                           zip(base, direction)])
            minus[name] = rebuild(p[name], [a - h * e for a, e in
                                            zip(base, direction)])
            numeric = (loss(plus, d["dy"]) - loss(minus, d["dy"])) / (2 * h)
            analytic = sum(g * e for g, e in zip(grads[name], direction))
            size = math.sqrt(sum(g * g for g in grads[name])) * \
                math.sqrt(sum(e * e for e in direction))
            good = abs(numeric - analytic) <= 1e-3 * max(size, 1.0)
            ok = ok and good
            print(f"d{name} . direction {trial}: step {analytic:.6g}, "
                  f"finite differences {numeric:.6g} "
                  f"{'ok' if good else 'FAIL'}")
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if sys.argv[1:] == ["driver"]:
        driver()
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        sys.exit(__doc__)
