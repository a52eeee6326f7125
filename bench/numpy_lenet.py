"""LeNet-5 for the numpy reference (bench/numpy_reference.py): `lenet` of bench/nets.ts, vectorised.

conv 5x5x6 same -> ReLU -> pool 2 -> conv 5x5x16 valid -> ReLU -> pool 2 -> 400 -> 120 -> 84 -> 10 (ReLU),
float32. A convolution is one OpenBLAS product over its im2row matrix (sliding_window_view copied into
rows of C*k*k, the way numpy users write it); its input gradient is the product's adjoint, added back
tap by tap (col2im); max-pooling keeps each 2x2 window's argmax for the backward pass.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def init_params(rng):
    def he(shape, fan_in):
        return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)

    return [
        he((6, 1, 5, 5), 25), np.zeros(6, np.float32),
        he((16, 6, 5, 5), 150), np.zeros(16, np.float32),
        he((400, 120), 400), np.zeros(120, np.float32),
        he((120, 84), 120), np.zeros(84, np.float32),
        he((84, 10), 84), np.zeros(10, np.float32),
    ]


def conv_forward(x, w, b, pad):
    """y[b, o, i, j] = b[o] + sum_{c,u,v} w[o, c, u, v] x[b, c, i + u - pad, j + v - pad]; also the im2row rows."""
    O, C, k, _ = w.shape
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(x, (k, k), axis=(2, 3))  # [B, C, H', W', k, k]
    B, _, Ho, Wo = windows.shape[:4]
    rows = np.ascontiguousarray(windows.transpose(0, 2, 3, 1, 4, 5)).reshape(B * Ho * Wo, C * k * k)
    y = rows @ w.reshape(O, -1).T
    y += b
    return y.reshape(B, Ho, Wo, O).transpose(0, 3, 1, 2), rows


def conv_backward(dy, rows, w, x_shape, pad, need_dx):
    """dw = dY^T rows, db = sum dY, dx = col2im(dY w) (when asked)."""
    O, C, k, _ = w.shape
    B, _, Ho, Wo = dy.shape
    dyr = np.ascontiguousarray(dy.transpose(0, 2, 3, 1)).reshape(B * Ho * Wo, O)
    dw = (dyr.T @ rows).reshape(w.shape)
    db = dyr.sum(axis=0)
    if not need_dx:
        return dw, db, None
    dcols = (dyr @ w.reshape(O, -1)).reshape(B, Ho, Wo, C, k, k)
    H, W = x_shape[2] + 2 * pad, x_shape[3] + 2 * pad
    dx = np.zeros((B, C, H, W), np.float32)
    for u in range(k):
        for v in range(k):
            dx[:, :, u : u + Ho, v : v + Wo] += dcols[:, :, :, :, u, v].transpose(0, 3, 1, 2)
    return dw, db, dx[:, :, pad : H - pad, pad : W - pad] if pad else dx


def pool_forward(a):
    """2x2 max-pooling [B, C, H, W] -> [B, C, H/2, W/2], with each window's argmax (0..3)."""
    B, C, H, W = a.shape
    windows = a.reshape(B, C, H // 2, 2, W // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(B, C, H // 2, W // 2, 4)
    arg = windows.argmax(axis=4)
    return np.take_along_axis(windows, arg[..., None], axis=4)[..., 0], arg


def pool_backward(dp, arg, shape):
    B, C, H, W = shape
    windows = np.zeros((B, C, H // 2, W // 2, 4), np.float32)
    np.put_along_axis(windows, arg[..., None], dp[..., None], axis=4)
    return windows.reshape(B, C, H // 2, W // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(B, C, H, W)


def forward(params, x):
    """Logits and everything the backward pass needs."""
    w1, b1, w2, b2, W3, b3, W4, b4, W5, b5 = params
    x = x.reshape(-1, 1, 28, 28)
    h1, rows1 = conv_forward(x, w1, b1, 2)
    a1 = np.maximum(h1, 0)
    p1, arg1 = pool_forward(a1)
    h2, rows2 = conv_forward(p1, w2, b2, 0)
    a2 = np.maximum(h2, 0)
    p2, arg2 = pool_forward(a2)
    f = p2.reshape(len(x), 400)
    h3 = f @ W3 + b3
    a3 = np.maximum(h3, 0)
    h4 = a3 @ W4 + b4
    a4 = np.maximum(h4, 0)
    z = a4 @ W5 + b5
    return z, (x, h1, rows1, a1, arg1, p1, h2, rows2, a2, arg2, f, h3, a3, h4, a4)


def backward(params, cache, dz):
    """Every parameter's gradient from dL/dz, in the order of `params`."""
    w1, b1, w2, b2, W3, b3, W4, b4, W5, b5 = params
    x, h1, rows1, a1, arg1, p1, h2, rows2, a2, arg2, f, h3, a3, h4, a4 = cache
    dW5, db5 = a4.T @ dz, dz.sum(axis=0)
    d4 = (dz @ W5.T) * (h4 > 0)
    dW4, db4 = a3.T @ d4, d4.sum(axis=0)
    d3 = (d4 @ W4.T) * (h3 > 0)
    dW3, db3 = f.T @ d3, d3.sum(axis=0)
    dp2 = (d3 @ W3.T).reshape(p1.shape[0], 16, 5, 5)
    dh2 = pool_backward(dp2, arg2, a2.shape) * (h2 > 0)
    dw2, db2, dp1 = conv_backward(dh2, rows2, w2, p1.shape, 0, True)
    dh1 = pool_backward(dp1, arg1, a1.shape) * (h1 > 0)
    dw1, db1, _ = conv_backward(dh1, rows1, w1, x.shape, 2, False)
    return [dw1, db1, dw2, db2, dW3, db3, dW4, db4, dW5, db5]


def logits(params, x, batch=1000):
    return np.concatenate([forward(params, x[i : i + batch])[0] for i in range(0, len(x), batch)])
