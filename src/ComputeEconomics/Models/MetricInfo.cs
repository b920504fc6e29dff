namespace ComputeEconomics.Models;

/// <summary>Which way a metric is good: decides which tail CVaR5 reads and what an optimiser's "best" means.</summary>
public enum Better
{
    /// <summary>No preference (a price, a month, a share): CVaR5 is the lower tail.</summary>
    None,
    /// <summary>More is better (NPV, cash): the unfavourable tail is the lower one.</summary>
    Higher,
    /// <summary>Less is better (costs, losses, months to break even): the unfavourable tail is the upper one.</summary>
    Lower,
}

/// <summary>A metric's unit and direction. Units: USD, USD/GPU-hour, USD/Mtok, month, year, fraction, ratio, count, flag, price.</summary>
public sealed record MetricInfo(string Name, string Unit, Better Better, string Description = "")
{
    private static readonly Dictionary<string, MetricInfo> Known = new(StringComparer.Ordinal);

    private static void Add(string name, string unit, Better better, string description = "") =>
        Known[name] = new MetricInfo(name, unit, better, description);

    static MetricInfo()
    {
        // market
        Add("final_price", "price", Better.None, "market price in the last month (market.price.unit)");
        Add("mean_price", "price", Better.None, "mean market price over the horizon");
        Add("mean_utilisation", "fraction", Better.Higher, "mean utilisation over the horizon");
        Add("final_utilisation", "fraction", Better.None);
        Add("mean_electricity", "USD/kWh", Better.None);
        Add("final_electricity", "USD/kWh", Better.None);
        Add("bust_share", "fraction", Better.Lower, "share of months in the bust regime");
        // fleet
        Add("npv", "USD", Better.Higher, "net present value of the project's cash flows at the WACC");
        Add("irr", "fraction/yr", Better.Higher, "internal rate of return of the project's cash flows");
        Add("payback_month", "month", Better.Lower);
        Add("min_cash", "USD", Better.Higher);
        Add("default", "flag", Better.Lower, "1 when the operator defaulted (cash or covenant)");
        Add("default_month", "month", Better.Higher);
        Add("equity_value", "USD", Better.Higher);
        Add("final_book_value", "USD", Better.None);
        Add("final_market_value", "USD", Better.Higher);
        Add("impairment_gap", "USD", Better.Lower, "book value above market value");
        Add("earnings_overstatement", "USD", Better.Lower, "book earnings above economic earnings");
        Add("cost_per_gpu_hour", "USD/GPU-hour", Better.Lower);
        Add("cost_per_mtok", "USD/Mtok", Better.Lower);
        Add("total_capex", "USD", Better.None);
        Add("book_value_y3", "USD", Better.None);
        Add("market_value_y3", "USD", Better.Higher);
        Add("book_value_y6", "USD", Better.None);
        Add("market_value_y6", "USD", Better.Higher);
        Add("total_revenue", "USD", Better.Higher);
        Add("total_ebitda", "USD", Better.Higher);
        Add("book_earnings_y1", "USD", Better.Higher);
        Add("overstatement_y3", "USD", Better.Lower);
        Add("final_debt", "USD", Better.Lower);
        Add("idle_share", "fraction", Better.Lower);
        // lab
        Add("insolvent", "flag", Better.Lower);
        Add("insolvency_month", "month", Better.Higher);
        Add("gross_margin", "fraction", Better.Higher);
        Add("burn_multiple", "ratio", Better.Lower);
        Add("capital_raised", "USD", Better.None);
        Add("rounds", "count", Better.None);
        Add("failed_raises", "count", Better.Lower);
        Add("months_to_break_even", "month", Better.Lower);
        Add("founders_ownership", "fraction", Better.Higher);
        Add("early_investors_ownership", "fraction", Better.Higher);
        Add("final_cash", "USD", Better.Higher);
        Add("final_arr", "USD", Better.Higher);
        Add("final_paying_users", "count", Better.Higher);
        Add("inference_cost_per_mtok", "USD/Mtok", Better.Lower);
        Add("inference_cost_month0", "USD/Mtok", Better.Lower);
        // sector
        Add("total_ai_revenue", "USD", Better.Higher);
        Add("cumulative_overstatement", "USD", Better.Lower);
        Add("final_gap", "USD", Better.Lower);
        Add("gap_close_year", "year", Better.Lower);
        Add("peak_capex_share_gdp", "fraction", Better.None);
        Add("peak_gdp_contribution", "fraction", Better.None);
    }

    private static readonly (string Stem, string Unit, Better Better)[] SectorYear =
    {
        ("capex", "USD", Better.None), ("ai_revenue", "USD", Better.Higher), ("required_revenue", "USD", Better.None),
        ("revenue_gap", "USD", Better.Lower), ("book_depreciation", "USD", Better.None),
        ("economic_depreciation", "USD", Better.None), ("overstatement", "USD", Better.Lower),
        ("capex_share_gdp", "fraction", Better.None), ("gdp_contribution", "fraction", Better.None),
    };

    /// <summary>The unit and direction of a metric by its name (per-year metrics by their stem); unknown names get unit "".</summary>
    public static MetricInfo For(string name)
    {
        if (Known.TryGetValue(name, out var info)) return info;
        if (name.StartsWith("insolvent_by_year_", StringComparison.Ordinal)) return new MetricInfo(name, "flag", Better.Lower);
        if (name.StartsWith("gap_closed_by_year_", StringComparison.Ordinal)) return new MetricInfo(name, "flag", Better.Higher);
        int y = name.LastIndexOf("_y", StringComparison.Ordinal);
        if (y > 0 && int.TryParse(name.AsSpan(y + 2), out _))
        {
            string stem = name[..y];
            foreach (var (s, unit, better) in SectorYear)
                if (s == stem) return new MetricInfo(name, unit, better);
        }
        return new MetricInfo(name, "", Better.None);
    }
}
