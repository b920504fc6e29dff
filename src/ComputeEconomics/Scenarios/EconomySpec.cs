namespace ComputeEconomics.Scenarios;

/// <summary>
/// Model kind economy: the circular AI economy in one run (venture money, API start-ups, two labs, a neocloud, a
/// hyperscaler aggregate, the chip maker, the power wall and GDP), in months with years of budgets; horizon_months a
/// multiple of 12, year 1 starts at `start`. Money in USD billions; growth rates are per year. The market section's
/// regime chain (normal/bust) and electricity price are the common shocks. Equations: docs/model.md section 10.
/// </summary>
public sealed record EconomySpec
{
    [Doc("Venture money offered to AI start-ups and labs in year 1, USD billions"), Range(0, 1e6)]
    public double VentureUsdB { get; init; } = 200;
    [Doc("Growth of the venture supply per year, normal regime"), Range(-0.99, 10)]
    public double VentureGrowth { get; init; } = 0.3;
    [Doc("Growth of the venture supply per year, bust regime"), Range(-0.99, 10)]
    public double VentureGrowthBust { get; init; } = -0.5;
    [Doc("Year (1-based) from which venture stops growing: venture_growth_cliff applies whatever the regime; 0 = never"), Range(0, 50)]
    public int CliffYear { get; init; }
    [Doc("Growth of the venture supply per year from cliff_year on"), Range(-0.99, 10)]
    public double VentureGrowthCliff { get; init; }
    [Doc("Debt offered to the neocloud in year 1, USD billions"), Range(0, 1e6)]
    public double DebtUsdB { get; init; } = 100;
    [Doc("Growth of the debt supply per year"), Range(-0.99, 10)]
    public double DebtGrowth { get; init; } = 0.2;
    [Doc("Share of the venture and debt supply withdrawn after each failure (a covenant breach withdraws it from debt)"), Range(0, 1)]
    public double FailureHit { get; init; } = 0.25;
    [Doc("Share of each year's venture budget that goes to the start-ups (the rest to the labs' rounds)"), Range(0, 1)]
    public double StartupVentureShare { get; init; } = 0.3;

    [Doc("Paying users of the API start-ups at month 0, millions"), Range(0, 1e5)]
    public double UsersM { get; init; } = 100;
    [Doc("Growth of users per year, normal regime"), Range(-0.99, 100)]
    public double UserGrowth { get; init; } = 0.6;
    [Doc("Growth of users per year, bust regime"), Range(-0.99, 100)]
    public double UserGrowthBust { get; init; }
    [Doc("sigma of ln users per sqrt(year)"), Range(0, 5)]
    public double UserVolatility { get; init; } = 0.3;
    [Doc("Price a user pays a start-up, USD per month"), Range(0, 1e5)]
    public double PriceUsdMonth { get; init; } = 20;
    [Doc("Tokens a user consumes, millions per month"), Range(0, 1e6)]
    public double TokensPerUserMtok { get; init; } = 3;
    [Doc("API price the start-ups pay the labs at month 0, USD per million tokens"), Range(0, 1e5)]
    public double ApiPriceUsdMtok { get; init; } = 10;
    [Doc("Change of the API price per year"), Range(-0.99, 10)]
    public double ApiPriceChange { get; init; } = -0.5;
    [Doc("Share of last year's API spend committed for the next year (take-or-pay floor: the start-ups' cloud debt)"), Range(0, 2)]
    public double CommitShare { get; init; } = 0.8;
    [Doc("Start-ups' wages and other costs as a share of their revenue"), Range(0, 10)]
    public double StartupWageShare { get; init; } = 0.3;
    [Doc("Start-ups' cash at month 0, USD billions"), Range(0, 1e6)]
    public double StartupCashUsdB { get; init; } = 20;

    [Doc("Lab 1's share of the start-ups' API spend while both labs live"), Range(0, 1)]
    public double Lab1ApiShare { get; init; } = 0.6;
    [Doc("Lab 1's cash at month 0, USD billions"), Range(0, 1e6)]
    public double Lab1CashUsdB { get; init; } = 17.5;
    [Doc("Lab 2's cash at month 0, USD billions"), Range(0, 1e6)]
    public double Lab2CashUsdB { get; init; } = 10;
    [Doc("Lab 1's direct (subscription and enterprise) revenue per year at month 0, USD billions"), Range(0, 1e6)]
    public double Lab1DirectUsdB { get; init; } = 10;
    [Doc("Lab 2's direct revenue per year at month 0, USD billions"), Range(0, 1e6)]
    public double Lab2DirectUsdB { get; init; } = 4;
    [Doc("Growth of the labs' direct revenue per year"), Range(-0.99, 100)]
    public double DirectGrowth { get; init; } = 1.0;
    [Doc("sigma of ln direct revenue per sqrt(year), each lab's own shock"), Range(0, 5)]
    public double DirectVolatility { get; init; } = 0.3;
    [Doc("Lab 1's contracted compute per year at month 0, USD billions"), Range(0, 1e6)]
    public double Lab1ComputeUsdB { get; init; } = 15;
    [Doc("Lab 2's contracted compute per year at month 0, USD billions"), Range(0, 1e6)]
    public double Lab2ComputeUsdB { get; init; } = 10;
    [Doc("Growth of the contracted compute per year (the contracts' schedule)"), Range(-0.99, 100)]
    public double ComputeGrowth { get; init; } = 0.8;
    [Doc("Labs' wages and other costs as a share of their compute bill"), Range(0, 10)]
    public double LabWageShare { get; init; } = 0.3;
    [Doc("Share of lab 1's compute bought from the hyperscaler (the rest from the neocloud)"), Range(0, 1)]
    public double Lab1HyperShare { get; init; } = 0.7;
    [Doc("Share of lab 2's compute bought from the hyperscaler"), Range(0, 1)]
    public double Lab2HyperShare { get; init; } = 0.5;
    [Doc("A lab raises a round (12 months of net burn, within the year's venture budget) when its cash covers fewer months than this"), Range(0, 120)]
    public double RunwayMonths { get; init; } = 9;

    [Doc("Neocloud cash at month 0, USD billions"), Range(0, 1e6)]
    public double NeoCashUsdB { get; init; } = 2;
    [Doc("Neocloud GW installed at month 0"), Range(0, 1e4)]
    public double NeoGw { get; init; } = 0.5;
    [Doc("Neocloud debt at month 0, USD billions"), Range(0, 1e6)]
    public double NeoDebtUsdB { get; init; } = 10;
    [Doc("Interest rate on the neocloud's debt per year"), Range(0, 1)]
    public double DebtRate { get; init; } = 0.1;
    [Doc("Amortisation of the neocloud's debt, years (straight line on the balance)"), Range(0.1, 50)]
    public double AmortYears { get; init; } = 5;
    [Doc("Share of the neocloud's capex financed by debt"), Range(0, 0.99)]
    public double LoanToValue { get; init; } = 0.7;
    [Doc("Debt-service coverage covenant: (revenue - energy) / (interest + amortisation) in a month below it breaks it (capex stops)"), Range(0, 100)]
    public double Covenant { get; init; } = 1.2;
    [Doc("Rent a GW of accelerators earns per year, USD billions: the neocloud's target GW is its contracted revenue over this"), Range(0.01, 1e4)]
    public double RevenuePerGwYear { get; init; } = 12.5;

    [Doc("Hyperscaler aggregate AI capex per year at month 0, USD billions"), Range(0, 1e6)]
    public double HyperCapexUsdB { get; init; } = 400;
    [Doc("Growth of the hyperscaler capex rate per year, normal regime"), Range(-0.99, 10)]
    public double HyperCapexGrowth { get; init; } = 0.3;
    [Doc("Growth of the hyperscaler capex rate per year, bust regime"), Range(-0.99, 10)]
    public double HyperCapexGrowthBust { get; init; } = -0.3;
    [Doc("Cut of the hyperscaler capex rate when a lab that buys from it defaults"), Range(0, 1)]
    public double CapexCutOnDefault { get; init; } = 0.3;
    [Doc("Hyperscaler cash at month 0, USD billions"), Range(0, 1e7)]
    public double HyperCashUsdB { get; init; } = 300;
    [Doc("Hyperscaler GW installed at month 0"), Range(0, 1e4)]
    public double HyperGw { get; init; } = 10;
    [Doc("Hyperscaler operating cash from everything but AI, per year, USD billions"), Range(0, 1e7)]
    public double OtherCashUsdB { get; init; } = 500;
    [Doc("Tax rate on the hyperscaler's AI margin and the chip maker's gross profit"), Range(0, 1)]
    public double TaxRate { get; init; } = 0.15;

    [Doc("Capex per GW of AI data centre, USD billions"), Range(0.01, 1e4)]
    public double CapexPerGwUsdB { get; init; } = 50;
    [Doc("Share of that capex paid to the chip maker (the rest: buildings and power equipment, paid as wages)"), Range(0, 1)]
    public double ChipShare { get; init; } = 0.6;
    [Doc("Power usage effectiveness of the data centres"), Range(1, 5)]
    public double Pue { get; init; } = 1.2;
    [Doc("Life of an installed GW, years (capacity retires at 1/life a year)"), Range(0.1, 50)]
    public double LifeYears { get; init; } = 5;
    [Doc("GW that can be connected to the grid per year (the power wall): capex beyond it is not deployed"), Range(0, 1e4)]
    public double PowerGwPerYear { get; init; } = 15;

    [Doc("Chip maker cash at month 0, USD billions"), Range(0, 1e7)]
    public double ChipCashUsdB { get; init; } = 60;
    [Doc("Chip maker gross margin (the cost of goods leaves as imports)"), Range(0, 1)]
    public double ChipMargin { get; init; } = 0.75;
    [Doc("Share of the chip maker's revenue invested back in its customers (equity stakes)"), Range(0, 1)]
    public double ChipInvestShare { get; init; } = 0.1;
    [Doc("Share of those investments that goes to the labs (split evenly; the rest to the neocloud)"), Range(0, 1)]
    public double ChipInvestLabShare { get; init; } = 0.7;
    [Doc("Share of the chip maker's after-tax gross profit paid to shareholders"), Range(0, 1)]
    public double ChipPayoutShare { get; init; } = 0.5;

    [Doc("Real GDP of the year before year 1, USD billions"), Range(1, 1e7)]
    public double GdpUsdB { get; init; } = 23_500;
    [Doc("Real GDP growth per year without the AI investment's contribution"), Range(-0.5, 0.5)]
    public double BaseGrowth { get; init; } = 0.009;
    [Doc("Share of a change in AI capex that is domestic value added (the rest is imported)"), Range(0, 1)]
    public double DomesticShare { get; init; } = 0.38;
    [Doc("AI capex (hyperscaler and neocloud) of the year before year 1, USD billions"), Range(0, 1e7)]
    public double AiCapexPriorUsdB { get; init; } = 250;
    [Doc("Tokens a GW of accelerators serves per month at month 0, millions (throughput x GPUs per GW x utilisation x 730 h)"), Range(1, 1e15)]
    public double TokensPerGwMtok { get; init; } = 1.93e9;
    [Doc("Growth per year of the tokens a GW serves (hardware and software efficiency)"), Range(-0.99, 100)]
    public double EfficiencyGain { get; init; } = 0.33;
    [Doc("sigma of ln tokens per GW per sqrt(year)"), Range(0, 5)]
    public double EfficiencyVolatility { get; init; } = 0.1;
    [Doc("Distress: the hyperscaler's capex rate or the chip maker's yearly revenue falls this share below its peak"), Range(0, 1, MinExclusive = true)]
    public double DistressDrop { get; init; } = 0.2;
}
