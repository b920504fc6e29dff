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

    /// <summary>True when this parameter set can run in lockstep: the vector operating pass covers failures (retire or
    /// replace), operation without a contract, the share-table depreciation and per-cohort loans; contracts, the
    /// counterparty, asset classes, financing tranches, the impairment test, units of production and the margin policy
    /// run the scalar kernel, as does a CPU without AVX2.</summary>
    public readonly bool LockstepSupported =>
        Avx2.IsSupported && P.AssetClassesOn == Switch.Off && P.Fin.On == Switch.Off && P.ContractMonths <= 0 && P.CounterpartyOn == Switch.Off
        && P.ImpairmentTest == Switch.Off && P.BookMethod != DepreciationMath.UnitsOfProduction
        && P.ReplacementPolicy != ReplacementPolicy.Margin;

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
            DrawLaunchMonths<TMath, PtrVec<double>, BranchedInverse<TMath>>(slots[l].Path, data, ref s[l]);
            for (int c = 0; c < P.CohortSlots; c++) s[l].Cohort(c).Free();
            path[l] = StartPath<TMath>();
        }
        for (int t = 0; t < P.Months; t++)
        {
            for (int l = 0; l < L; l++) OpenLockstepMonth<TMath>(slots[l].Path, t, data, ref s[l], ref month[l], ref path[l]);
            LockstepOperatingPass<TMath>(slots, data, scratch, ref s, ref month, ref path);
            for (int l = 0; l < L; l++)
            {
                DebtAndTax(data, ref s[l], ref month[l], ref path[l]);
                CloseMonth(ref month[l], ref path[l]);
                if (P.FiscalYears > 0) FiscalYear(slots[l], metrics, in month[l], ref path[l]);
                if (slots[l].BandBase >= 0) WriteBands(slots[l].BandBase, bands, in month[l], in path[l]);
            }
        }
        for (int l = 0; l < L; l++)
        {
            WriteMetrics(slots[l], metrics, ref s[l], in path[l]);
            WriteContractMetrics(slots[l], metrics, in path[l]);
        }
    }

    /// <summary>Month t of one lane up to the operating pass: the market step, purchases, retirement, the contract.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void OpenLockstepMonth<TMath>(long pathIndex, int t, PtrVec<double> data, ref FleetScratch<PtrVec<double>> s,
        ref FleetMonth month, ref FleetPath path)
        where TMath : struct, IMathPolicy
    {
        if (t > 0) Market.Step<TMath, PtrVec<double>>(P.Market, data, pathIndex, ref path.Market);
        month = OpenMonth(path.Market, t);
        month.NextRetirement = path.NextRetirement;
        Purchases<TMath, PtrVec<double>>(data, ref s, ref month, ref path);
        RetirementAndReplacement<TMath, PtrVec<double>>(data, ref s, ref month);
        path.NextRetirement = month.NextRetirement;
        ContractMonth(pathIndex, data, ref month, ref path);
    }
}
