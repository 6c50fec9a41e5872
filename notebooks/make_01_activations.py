"""Generate notebooks/01_activations.ipynb (run from the repo root; the test suite executes it)."""
import nbformat as nbf
nb = nbf.v4.new_notebook()
md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
nb.cells = [
    md("# 01 · Activation primitives: one nonlinearity, three disguises\n\n"
       "The same logistic curve is a neural-network unit, a Hill promoter and a Boltzmann ion-channel gate. "
       "This notebook checks the identities numerically and looks at saturation and gradient flow."),
    code("import jax, jax.numpy as jnp, numpy as np\nimport bioact\nfrom bioact import activations as A, identities as I, gradflow as G\n"
         "print('float64:', jax.config.jax_enable_x64)"),
    md("## The registry"),
    code("for row in A.properties_table():\n    print(f\"{row['name']:16s} {row['smoothness']:5s} L={row['lipschitz']:.4g}  {row['output_range']:14s} monotone={row['monotone']!s:5s} {row['saturation']}\")"),
    md("## Hill = logistic in log-concentration, Boltzmann = logistic in voltage"),
    code("x = np.logspace(-3, 3, 1001)\n"
         "print('max |hill - sigmoid(n ln x/K)|:', float(jnp.max(jnp.abs(A.hill(x, 0.3, 2.5) - I.hill_as_logistic(x, 0.3, 2.5)))))\n"
         "v = np.linspace(-100, 40, 1001)\n"
         "print('max |boltzmann - sigmoid((V-Vh)/k)|:', float(jnp.max(jnp.abs(A.boltzmann(v, -40.0, 9.0) - A.sigmoid((v + 40.0) / 9.0)))))"),
    md("## GELU and its sigmoid approximation"),
    code("err, z_at = I.gelu_sigmoid_max_deviation()\nprint(f'max |GELU(z) - z sigmoid(1.702 z)| = {err:.5f} at z = {z_at:.3f}')"),
    md("## Saturation: exponential vs algebraic"),
    code("for z in (2.0, 5.0, 10.0):\n    print(z, '1 - tanh:', float(2 * A.sigmoid(-2 * z)), '  pi/2 - arctan:', float(np.pi / 2 - A.arctan(z)))"),
    md("## Gradient flow through a depth-L chain"),
    code("for L in (5, 10, 20):\n    print(L, 'sigmoid:', float(G.chain_gradient('sigmoid', 0.5, jnp.ones(L))), '  tanh:', float(G.chain_gradient('tanh', 0.5, jnp.ones(L))))\n"
         "print('linear unit, s*a = 1.26, L = 20:', 1.26 ** 20)"),
    md("## Surrogate gradients of a spiking unit"),
    code("key = jax.random.key(0)\nfor beta in (5.0, 20.0, 80.0):\n    st = G.surrogate_gradient_stats(beta, key, n=20_000)\n    print(beta, float(st['mean_square']), G.surrogate_mean_square_asymptote(beta))"),
    md("## The gallery"),
    code("import matplotlib\nmatplotlib.use('Agg')\nfrom bioact.plot import activation_gallery\nfig = activation_gallery()\nfig.axes[0].get_title()"),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, __import__("pathlib").Path(__file__).with_name("01_activations.ipynb"))
