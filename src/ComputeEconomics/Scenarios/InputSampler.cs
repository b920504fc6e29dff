using ComputeEconomics.Kernels;
using ComputeEconomics.Kernels.Random;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// Draws the uncertain fields of one path. Field f's uniform is word X of the Philox block
/// (seed, path, month 0, slot = FNV-1a(field path), stream <see cref="Streams.ParameterBase"/>), so it depends only on the seed,
/// the path index and the field's own path. Fields named in a rank correlation are coupled by a Gaussian copula:
/// z = Phi^-1(u), z' = L z with L the Cholesky factor of the Pearson correlation 2 sin(pi rho_s / 6) (which gives
/// the requested Spearman rho_s exactly for a Gaussian copula, Kruskal 1958), u' = Phi(z'), then x = Q(u').
/// Fields in no correlation keep their own uniform untouched.
/// </summary>
public sealed class InputSampler
{
    private readonly UncertainField[] _fields;
    private readonly uint _seed;
    private readonly int[] _coupled;        // indices of the fields in some correlation, in field order
    private readonly double[,] _l;          // Cholesky factor over _coupled

    /// <summary>Build the sampler; throws <see cref="InputException"/> when the correlations are not jointly possible.</summary>
    public InputSampler(UncertaintySpec spec, uint seed)
    {
        _fields = spec.Fields.ToArray();
        _seed = seed;
        var ids = new Dictionary<uint, string>();
        foreach (var f in _fields)
            if (!ids.TryAdd(f.Id, f.Path))
                throw new InputException(f.Path, ids[f.Id], "has the same 32-bit stream id as this field: rename or drop one of them");
        var names = spec.Correlations.SelectMany(c => new[] { c.A, c.B }).ToHashSet(StringComparer.Ordinal);
        _coupled = Enumerable.Range(0, _fields.Length).Where(i => names.Contains(_fields[i].Path)).ToArray();
        int n = _coupled.Length;
        _l = new double[n, n];
        if (n == 0) return;
        var index = _coupled.Select((f, i) => (_fields[f].Path, i)).ToDictionary(p => p.Path, p => p.i, StringComparer.Ordinal);
        var c = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(n);
        foreach (var r in spec.Correlations)
        {
            double pearson = 2 * Math.Sin(Math.PI * r.Rho / 6);
            c[index[r.A], index[r.B]] = pearson;
            c[index[r.B], index[r.A]] = pearson;
        }
        var evd = c.Evd();
        double minEigen = evd.EigenValues.Min(e => e.Real);
        if (!(minEigen > 1e-10))
            throw new InputException("uncertainty.correlation", $"(smallest eigenvalue {minEigen:G4})",
                "must be a possible correlation matrix (positive definite): the pairs contradict each other");
        var factor = c.Cholesky().Factor;
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) _l[i, j] = factor[i, j];
    }

    public IReadOnlyList<UncertainField> Fields => _fields;

    /// <summary>The independent uniform of field <paramref name="field"/> on <paramref name="path"/> (before any copula).</summary>
    public double Uniform(int field, long path)
        => Philox4x32.ToUniform(Philox4x32.Block(_seed, path, 0u, _fields[field].Id, Streams.ParameterBase).X);

    /// <summary>The values of every uncertain field on <paramref name="path"/>, in field order.</summary>
    public void Draw(long path, Span<double> values)
    {
        int n = _coupled.Length;
        Span<double> u = _fields.Length <= 64 ? stackalloc double[_fields.Length] : new double[_fields.Length];
        for (int f = 0; f < _fields.Length; f++) u[f] = Uniform(f, path);
        if (n > 0)
        {
            Span<double> z = n <= 64 ? stackalloc double[n] : new double[n];
            for (int i = 0; i < n; i++) z[i] = Normal.InvCdf<DoubleMath>(u[_coupled[i]]);
            for (int i = n - 1; i >= 0; i--)
            {
                double s = 0;
                for (int j = 0; j <= i; j++) s += _l[i, j] * z[j];
                u[_coupled[i]] = Math.Clamp(MathNet.Numerics.Distributions.Normal.CDF(0, 1, s), Distribution.UMin, Distribution.UMax);
            }
        }
        for (int f = 0; f < _fields.Length; f++) values[f] = _fields[f].ValueAt(u[f]);
    }
}
