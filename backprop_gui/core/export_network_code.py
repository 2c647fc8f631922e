"""The maths half of the exported NumPy script, as source text: each activation with its
derivative, each loss with its gradient at the output, each initialisation, the backward
pass and each optimiser, written the way MISSION.md writes them. They compute what
activations.py, losses.py, init.py, network.py and optim.py compute, in the same order
of operations where that costs no clarity (the test compares loss curves to 1e-9)."""

from __future__ import annotations

from .config import TrainingConfig
from .export_code import code

#: name -> (source of f and f', whether f' is elementwise and defined as NAME_prime)
ACTIVATION_CODE: dict[str, tuple[str, bool]] = {
    "sigmoid": (code('''
        def sigmoid(z):
            """σ(z) = 1 / (1 + e^(−z)) (e^(−z) may overflow to inf: σ is then exactly 0)."""
            return 1 / (1 + np.exp(-z))


        def sigmoid_prime(z, a):
            """σ' = σ(1 − σ) = a(1 − a), from the output: at most 0.25, so every sigmoid layer
            a gradient passes through shrinks it at least fourfold."""
            return a * (1 - a)
    '''), True),
    "tanh": (code('''
        def tanh(z):
            return np.tanh(z)


        def tanh_prime(z, a):
            """tanh' = 1 − tanh² = 1 − a²: 1 at z = 0, near 0 once |z| > 3."""
            return 1 - a * a
    '''), True),
    "relu": (code('''
        def relu(z):
            return np.maximum(z, 0)


        def relu_prime(z, a):
            """1 where z > 0, else 0: a unit negative for every sample is dead, it never learns."""
            return (z > 0).astype(z.dtype)
    '''), True),
    "leaky_relu": (code('''
        ALPHA = 0.01  # the leak


        def leaky_relu(z):
            """z for z > 0, αz otherwise."""
            return np.where(z > 0, z, ALPHA * z)


        def leaky_relu_prime(z, a):
            """1 where z > 0, α elsewhere: the leak keeps negative units learning."""
            return np.where(z > 0, 1.0, ALPHA).astype(z.dtype)
    '''), True),
    "linear": (code('''
        def linear(z):
            """f(z) = z, for a regression output."""
            return z


        def linear_prime(z, a):
            return np.ones_like(z)
    '''), True),
    "softmax": (code('''
        def softmax(z):
            """ŷ_k = e^(z_k) / Σ_j e^(z_j) for each sample (row), after subtracting the row's
            maximum so that e^z never overflows."""
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
    '''), False),
    "softmax_backward": (code('''
        def softmax_backward(dA, a):
            """dZ = dA through the softmax's Jacobian (it is not elementwise):
            dZ_k = a_k (dA_k − Σ_j dA_j a_j)."""
            return a * (dA - (dA * a).sum(axis=1, keepdims=True))
    '''), False),
}

LOSS_CODE = {
    "mse": code('''
        def mse(z_L, a_L, Y):
            """L = (1/n) Σ ½ (ŷ − y)²; the ½ cancels the square's 2, so dA_L = ∂L/∂ŷ = (ŷ − y)/n.
            Returns L and dA_L."""
            n = len(Y)
            error = a_L - Y
            return 0.5 * float(np.sum(error * error)) / n, error / n
    '''),
    "bce": code('''
        def bce(z_L, a_L, Y):
            """Binary cross-entropy L = (1/n) Σ −y log ŷ − (1 − y) log(1 − ŷ), ŷ = σ(z), written
            in z as max(z, 0) − z·y + log(1 + e^(−|z|)) so that log(0) never happens. Through
            the sigmoid the chain rule gives simply dZ_L = (ŷ − y)/n. Returns L and dZ_L."""
            n = len(Y)
            per_sample = np.maximum(z_L, 0) - z_L * Y + np.log1p(np.exp(-np.abs(z_L)))
            return float(per_sample.sum()) / n, (a_L - Y) / n
    '''),
    "cross_entropy": code('''
        def cross_entropy(z_L, a_L, Y):
            """L = (1/n) Σ −Σ_k y_k log ŷ_k, ŷ = softmax(z), y one-hot; written in z as
            logsumexp(z) − z_y, the row's maximum subtracted first so e^z never overflows.
            Through the softmax the chain rule gives simply dZ_L = (ŷ − y)/n. Returns L, dZ_L."""
            n = len(Y)
            z_max = z_L.max(axis=1, keepdims=True)
            log_sum_exp = z_max[:, 0] + np.log(np.exp(z_L - z_max).sum(axis=1))
            return float((log_sum_exp - (z_L * Y).sum(axis=1)).sum()) / n, (a_L - Y) / n
    '''),
}

_INIT_DRAW = {
    "uniform": ("W_l and b_l ~ U(−1, 1), the classic choice of the reference example",
                "rng.uniform(-1.0, 1.0, size=(fan_in, fan_out))",
                "rng.uniform(-1.0, 1.0, size=fan_out)"),
    "xavier": ("Xavier/Glorot: W_l ~ U(−r, r), r = √(6 / (fan_in + fan_out)), b_l = 0; it keeps "
               "the\n    signal's variance steady through sigmoid and tanh layers",
               "rng.uniform(-np.sqrt(6.0 / (fan_in + fan_out)), np.sqrt(6.0 / (fan_in + fan_out)),"
               "\n                              size=(fan_in, fan_out))",
               "np.zeros(fan_out)"),
    "he": ("He: W_l ~ N(0, 2 / fan_in), b_l = 0; the same for ReLU, which zeroes half its inputs",
           "rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))",
           "np.zeros(fan_out)"),
}
INIT_CODE = {
    name: code('''
        def initial_weights():
            """W_l (fan_in, fan_out) and b_l (fan_out,) for l = 1..L, index 0 unused as in the
            formulas, drawn layer by layer from np.random.default_rng(SEED).
            <<what>>."""
            rng = np.random.default_rng(SEED)
            W, b = [None], [None]
            for fan_in, fan_out in zip(LAYER_SIZES[:-1], LAYER_SIZES[1:]):
                W.append(<<W>>.astype(DTYPE))
                b.append(<<b>>.astype(DTYPE))
            return W, b
    ''', what=what, W=W, b=b)
    for name, (what, W, b) in _INIT_DRAW.items()
}

OPTIMIZER_CODE = {
    "sgd": code('''
        def optimizer(params):
            """Plain gradient descent: θ ← θ − η·g for every W_l and b_l (in place)."""

            def update(grads):
                for theta, g in zip(params, grads):
                    theta -= LEARNING_RATE * g

            return update
    '''),
    "momentum": code('''
        MOMENTUM = 0.9  # μ


        def optimizer(params):
            """Momentum: v ← μ·v − η·g, θ ← θ + v, for every W_l and b_l: a heavy ball that
            keeps rolling through flat stretches and small bumps."""
            velocity = [np.zeros_like(theta) for theta in params]

            def update(grads):
                for theta, g, v in zip(params, grads, velocity):
                    v *= MOMENTUM
                    v -= LEARNING_RATE * g
                    theta += v

            return update
    '''),
    "adam": code('''
        BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8


        def optimizer(params):
            """Adam: running averages of the gradient (m) and of its square (v), corrected for
            their start at zero; each step is η·m̂ / (√v̂ + ε), about η whatever the gradient's
            scale."""
            m = [np.zeros_like(theta) for theta in params]
            v = [np.zeros_like(theta) for theta in params]
            t = 0

            def update(grads):
                nonlocal t
                t += 1
                for theta, g, m_i, v_i in zip(params, grads, m, v):
                    m_i *= BETA1
                    m_i += (1 - BETA1) * g  # m ← β1·m + (1 − β1)·g
                    v_i *= BETA2
                    v_i += (1 - BETA2) * (g * g)  # v ← β2·v + (1 − β2)·g²
                    m_hat = m_i / (1 - BETA1**t)
                    v_hat = v_i / (1 - BETA2**t)
                    theta -= LEARNING_RATE * m_hat / (np.sqrt(v_hat) + EPSILON)

            return update
    '''),
}


def backward_code(output: str, loss: str, penalised: bool) -> str:
    """backward(): the chain rule from the output layer to the first."""
    if loss in ("bce", "cross_entropy"):
        start = f"loss, dZ = {loss}(z[L], a[L], Y)  # the loss and dZ_L = (ŷ − y)/n directly"
    elif output == "softmax":
        start = ("loss, dA = mse(z[L], a[L], Y)  # the loss and dA_L = ∂L/∂a_L\n"
                 "    dZ = softmax_backward(dA, a[L])  # dZ_L: through the softmax's Jacobian")
    else:
        start = ("loss, dA = mse(z[L], a[L], Y)  # the loss and dA_L = ∂L/∂a_L\n"
                 "    dZ = dA * f_prime[L](z[L], a[L])  # dZ_L = dA_L ⊙ f_L'(z_L)")
    penalties = "add_penalties(W, dW)  # L1, L2\n    " if penalised else ""
    return code('''
        def backward(W, z, a, Y):
            """The chain rule from the output layer back to the first, after forward(): the
            loss and the gradients dW_l, db_l of the loss averaged over the batch."""
            L = len(W) - 1
            dW, db = [None] * (L + 1), [None] * (L + 1)
            <<start>>
            for l in range(L, 0, -1):
                dW[l] = a[l - 1].T.dot(dZ)  # dW_l = a_{l-1}ᵀ·dZ_l
                db[l] = dZ.sum(axis=0)  # db_l = Σ_samples dZ_l
                if l > 1:
                    dA = dZ.dot(W[l].T)  # dA_{l-1} = dZ_l·W_lᵀ
                    dZ = dA * f_prime[l - 1](z[l - 1], a[l - 1])  # dZ_{l-1} = dA_{l-1} ⊙ f'(z_{l-1})
            <<penalties>>return loss, dW, db
    ''', start=start, penalties=penalties)


def penalties_code(t: TrainingConfig) -> str:
    lines = []
    if t.l2:
        lines.append("dW[l] += L2 * W[l]  # from ½λ₂‖W‖²")
    if t.l1:
        lines.append("dW[l] += L1 * np.sign(W[l])  # from λ₁‖W‖₁")
    body = "\n".join("        " + line for line in lines)
    return ('def add_penalties(W, dW):\n'
            '    """Weight penalties add their gradient to dW (not to db); the loss shown is '
            'without them."""\n'
            '    for l in range(1, len(W)):\n' + body + "\n")

