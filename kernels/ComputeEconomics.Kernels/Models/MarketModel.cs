namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Model kind <c>market</c>: the market drivers alone (SPEC section 1). Useful to inspect the
/// drivers and to test the engine. Metrics: see <see cref="MarketMetrics"/>; bands: price,
/// utilisation, electricity, regime.
/// </summary>
public struct MarketModel : IPathModel
{
    public MarketParams Market;
    public int Months;

    public const int SeriesCount = 4;

    /// <inheritdoc />
    public void ShiftDataOffsets(int shift) { Market.ShiftDataOffsets(shift); }

    /// <inheritdoc />
    public readonly void Simulate<TMath, TD, TF>(in PathSlot slot, TD data, TD scratch, TD metrics, TF bands)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>
    {
        MarketState s = Models.Market.Initial<TMath>(Market);
        double sumPrice = 0, sumUtil = 0, sumElec = 0, bustMonths = 0;
        for (int t = 0; t < Months; t++)
        {
            if (t > 0) Models.Market.Step<TMath, TD>(Market, data, slot.Path, ref s);
            sumPrice += s.Price;
            sumUtil += s.Util;
            sumElec += s.Elec;
            bustMonths += s.Regime;
            if (slot.BandBase >= 0)
            {
                long b = slot.BandBase + (long)t * SeriesCount;
                bands[b] = (float)s.Price;
                bands[b + 1] = (float)s.Util;
                bands[b + 2] = (float)s.Elec;
                bands[b + 3] = s.Regime;
            }
        }
        int m = slot.MetricBase;
        metrics[m + (MarketMetrics.FinalPrice) * slot.MetricStride] = s.Price;
        metrics[m + (MarketMetrics.MeanPrice) * slot.MetricStride] = sumPrice / Months;
        metrics[m + (MarketMetrics.MeanUtilisation) * slot.MetricStride] = sumUtil / Months;
        metrics[m + (MarketMetrics.FinalUtilisation) * slot.MetricStride] = s.Util;
        metrics[m + (MarketMetrics.MeanElectricity) * slot.MetricStride] = sumElec / Months;
        metrics[m + (MarketMetrics.FinalElectricity) * slot.MetricStride] = s.Elec;
        metrics[m + (MarketMetrics.BustShare) * slot.MetricStride] = bustMonths / Months;
    }
}

/// <summary>Metric indices of <see cref="MarketModel"/>.</summary>
public static class MarketMetrics
{
    public const int FinalPrice = 0, MeanPrice = 1, MeanUtilisation = 2, FinalUtilisation = 3,
        MeanElectricity = 4, FinalElectricity = 5, BustShare = 6, Count = 7;
}
