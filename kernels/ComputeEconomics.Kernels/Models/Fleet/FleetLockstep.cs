using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Random;

namespace ComputeEconomics.Kernels.Models;

/// <summary>Four values of one kind, one per lane of the cpu backend's lockstep (<see cref="FleetModel.SimulateLockstep{TMath}"/>).</summary>
[InlineArray(FleetModel.LockstepLanes)]
internal struct Lanes<T>
{
    private T _e;
}

/// <summary>
/// The cpu backend's lockstep (docs/performance.md, "The cpu lockstep"): four paths of one parameter set simulated
/// month by month side by side, the operating pass's arithmetic on all four at once in 256-bit vectors (a lane a path),
/// every other stage the scalar code of <see cref="Simulate{TMath, TD, TF}"/> run on each path in turn. Each lane
/// evaluates the scalar expressions term for term in the same order (IEEE add, multiply and divide are exactly rounded
/// in a vector as in a scalar register; <see cref="Vector256.Max{T}"/> and Min are Math.Max and Min bit for bit, NaN and
/// signed zeros included; no fused multiply-add), and a lane's sums run over the cohort slots in slot order as the
/// scalar pass's do, so each path's results are the scalar kernel's bit for bit. A lane whose slot is empty adds +0.0,
/// which leaves a sum unchanged: the month's and the path's sums start at +0.0 or a non-zero value and so never hold
/// -0.0. CPU only: never called from an ILGPU kernel.
/// </summary>
public partial struct FleetModel
{
    /// <summary>Paths a lockstep group simulates together (doubles in a 256-bit vector).</summary>
    public const int LockstepLanes = 4;

    /// <summary>True when the lockstep can run on this CPU (AVX2). Every fleet parameter set runs in it: the vector operating
    /// pass covers failures, operation with or without a contract, the margin policy's streaks, depreciation by share table
    /// or units of production with the impairment test, per-cohort loans and the asset classes' purchases; the financing's
    /// tranches and the asset classes' months are path stages run lane by lane.</summary>
    public static bool LockstepSupported => Avx2.IsSupported;

    /// <summary>
    /// Simulate the four paths of <paramref name="slots"/> (each with its own metric and band base) in lockstep.
    /// <paramref name="scratch"/> holds <see cref="ScratchPerPath"/> x <see cref="LockstepLanes"/> doubles, element j of
    /// lane l at j x 4 + l, so one cohort field of the four paths is one aligned vector.
    /// </summary>
    public readonly unsafe void SimulateLockstep<TMath>(ReadOnlySpan<PathSlot> slots, PtrVec<double> data, double* scratch,
        PtrVec<double> metrics, PtrVec<float> bands)
        where TMath : struct, IMathPolicy
    {
        const int L = LockstepLanes;
        var buffer = new PtrVec<double>(scratch);
        Lanes<FleetScratch<PtrVec<double>>> s = default;
        Lanes<FleetPath> path = default;
        Lanes<FleetMonth> month = default;
        for (int l = 0; l < L; l++)
        {
            s[l] = new FleetScratch<PtrVec<double>>(buffer, l, L, P.CohortSlots, P.Months);
            BeforeMonthZero<TMath, PtrVec<double>>(slots[l].Path, data, ref s[l], ref path[l]);
        }
        for (int t = 0; t < P.Months; t++)
        {
            bool vectorMarket = t > 0 && P.Market.QmcScramblings == 0;
            if (vectorMarket) LockstepMarketStep<TMath>(slots, ref path);
            for (int l = 0; l < L; l++)
            {
                if (t > 0 && !vectorMarket) Market.Step<TMath, PtrVec<double>>(P.Market, data, slots[l].Path, ref path[l].Market);
                OpenLockstepMonth<TMath>(slots[l].Path, t, data, ref s[l], ref month[l], ref path[l]);
            }
            LockstepOperatingPass<TMath>(slots, data, scratch, ref s, ref month, ref path);
            for (int l = 0; l < L; l++)
                AfterOperatingPass<TMath, PtrVec<double>, PtrVec<float>>(in slots[l], data, metrics, bands, ref s[l], ref month[l], ref path[l]);
        }
        // The IRRs of the four paths at once: their cash flows are interleaved in scratch, month t of lane l at 4 t + l.
        Span<int> status = stackalloc int[L];
        Vector256<double> irr = IrrLanes.Annual(scratch + s[0].CashFlowBase, P.Months, status);
        for (int l = 0; l < L; l++)
        {
            WriteMetrics(slots[l], metrics, in path[l], irr[l], status[l]);
            WriteContractMetrics(slots[l], metrics, in path[l]);
            if (P.Fin.On != Switch.Off) WriteFinancingMetrics(slots[l], metrics, ref s[l], in path[l]);
        }
    }

    /// <summary>Month t of one lane after its market step, up to the operating pass: purchases, retirement, the contract.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void OpenLockstepMonth<TMath>(long pathIndex, int t, PtrVec<double> data, ref FleetScratch<PtrVec<double>> s,
        ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
    {
        month = OpenMonth(path.Market, t);
        month.NextRetirement = path.NextRetirement;
        Purchases<TMath, PtrVec<double>>(data, ref s, ref month, ref path);
        RetirementAndReplacement<TMath, PtrVec<double>>(data, ref s, ref month);
        path.NextRetirement = month.NextRetirement;
        ContractMonth(pathIndex, data, ref month, ref path);
    }

    /// <summary>
    /// <see cref="Market.Step{TMath, TD}"/> (Philox draws, not QMC) of the four lanes: the Philox blocks, the uniforms
    /// (mirrored on the odd paths of antithetic pairs), the regime switch, the three normals and their correlation and the
    /// log-price, logit-utilisation and log-electricity updates in vectors, term for term; the exponentials by each lane's
    /// scalar math policy.
    /// </summary>
    private readonly void LockstepMarketStep<TMath>(ReadOnlySpan<PathSlot> slots, ref Lanes<FleetPath> path)
        where TMath : struct, IMathPolicy
    {
        TMath m = default;
        ref readonly MarketParams p = ref P.Market;
        int t = path[0].Market.Month + 1;
        var paths = Vector256.Create(slots[0].Path, slots[1].Path, slots[2].Path, slots[3].Path);
        bool antithetic = p.Antithetic != Switch.Off;
        Lanes4.Block(p.Seed, antithetic ? paths & Vector256.Create(~1L) : paths, (uint)t, 0u, Streams.Market,
            out Vector256<ulong> bx, out Vector256<ulong> by, out Vector256<ulong> bz, out Vector256<ulong> bw);
        Vector256<double> u0 = Lanes4.ToUniform(bx), u1 = Lanes4.ToUniform(by), u2 = Lanes4.ToUniform(bz), u3 = Lanes4.ToUniform(bw);
        if (antithetic)
        {
            Vector256<double> mirror = Vector256.Equals(paths & Vector256<long>.One, Vector256<long>.One).AsDouble();
            Vector256<double> one = Vector256.Create(1.0);
            u0 = Vector256.ConditionalSelect(mirror, one - u0, u0); u1 = Vector256.ConditionalSelect(mirror, one - u1, u1);
            u2 = Vector256.ConditionalSelect(mirror, one - u2, u2); u3 = Vector256.ConditionalSelect(mirror, one - u3, u3);
        }
        Vector256<double> e1 = Lanes4.InvCdf<TMath>(u1), e2 = Lanes4.InvCdf<TMath>(u2), e3 = Lanes4.InvCdf<TMath>(u3);
        Vector256<double> z1 = Vector256.Create(p.L00) * e1;
        Vector256<double> z2 = Vector256.Create(p.L10) * e1 + Vector256.Create(p.L11) * e2;
        Vector256<double> z3 = Vector256.Create(p.L20) * e1 + Vector256.Create(p.L21) * e2 + Vector256.Create(p.L22) * e3;
        for (int l = 0; l < LockstepLanes; l++)
        {
            ref MarketState s = ref path[l].Market;
            if (s.Regime == MarketRegime.Normal) { if (u0[l] < p.P01) s.Regime = MarketRegime.Bust; }
            else if (u0[l] < p.P10) s.Regime = MarketRegime.Normal;
        }
        Vector256<double> normal = Vector256.Equals(
            Vector256.Create((long)path[0].Market.Regime, path[1].Market.Regime, path[2].Market.Regime, path[3].Market.Regime),
            Vector256.Create((long)MarketRegime.Normal)).AsDouble();
        Vector256<double> lnPrice = V(path[0].Market.LnPrice, path[1].Market.LnPrice, path[2].Market.LnPrice, path[3].Market.LnPrice);
        Vector256<double> logitUtil = V(path[0].Market.LogitUtil, path[1].Market.LogitUtil, path[2].Market.LogitUtil, path[3].Market.LogitUtil);
        Vector256<double> lnElec = V(path[0].Market.LnElec, path[1].Market.LnElec, path[2].Market.LnElec, path[3].Market.LnElec);
        lnPrice += Vector256.ConditionalSelect(normal, Vector256.Create(p.PriceDrift0), Vector256.Create(p.PriceDrift1))
            + Vector256.Create(p.PriceVolMonthly) * z1;
        Vector256<double> target = Vector256.ConditionalSelect(normal, Vector256.Create(p.LogitTheta0), Vector256.Create(p.LogitTheta1));
        logitUtil += Vector256.Create(p.KappaMonthly) * (target - logitUtil) + Vector256.Create(p.UtilVolMonthly) * z2;
        lnElec += Vector256.Create(p.ElecDrift) + Vector256.Create(p.ElecVolMonthly) * z3;
        for (int l = 0; l < LockstepLanes; l++)
        {
            ref MarketState s = ref path[l].Market;
            s.LnPrice = lnPrice[l]; s.LogitUtil = logitUtil[l]; s.LnElec = lnElec[l];
            s.Month = t;
            s.Price = m.Exp(s.LnPrice);
            s.Util = Market.Logistic<TMath>(s.LogitUtil);
            s.Elec = m.Exp(s.LnElec);
        }
    }
}
