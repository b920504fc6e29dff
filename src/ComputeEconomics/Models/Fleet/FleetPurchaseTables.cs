using System.Globalization;
using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Fleet;

/// <summary>
/// The host side of fleet.purchase.schedule (capex in USD by month or fiscal year) and fleet.purchase.opening_book
/// (servers owned at month 0): their rules, their tables in the data buffer and the cohorts they occupy
/// (docs/model.md 3, "Purchases" and "Opening book").
/// </summary>
public static class FleetPurchaseTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Months of fiscal year k (1-based) in which a quarter of its capex is bought: the middle month of each quarter.</summary>
    public static IEnumerable<int> QuarterMonths(int fiscalYear)
    {
        int first = 12 * (fiscalYear - 1);
        return new[] { first + 1, first + 4, first + 7, first + 10 };
    }

    /// <summary>USD spent in each month 0..horizon-1 and the generation named for it (null = the newest on sale).</summary>
    public static (double[] Usd, string?[] Generation) MonthlySchedule(Scenario s)
    {
        var usd = new double[s.HorizonMonths];
        var gen = new string?[s.HorizonMonths];
        foreach (var e in s.Fleet.Purchase.Schedule ?? new List<ScheduledPurchaseSpec>())
        {
            var months = e.Month is int m ? new[] { m } : QuarterMonths(e.FiscalYear ?? 1).ToArray();
            double share = e.Usd / months.Length;
            foreach (int t in months)
            {
                if (t < 0 || t >= s.HorizonMonths) continue;
                usd[t] += share;
                gen[t] ??= e.Generation;
            }
        }
        return (usd, gen);
    }

    /// <summary>Rules on the two lists that need no catalog resolution: one of month or fiscal_year (purchases past the
    /// horizon are not simulated, as an expansion's), known generations, one generation a month, and no units-of-production book under an opening book.</summary>
    public static List<ValidationError> Errors(Scenario s, IEnumerable<string> catalogNames)
    {
        var errors = new List<ValidationError>();
        var names = catalogNames.ToList();
        var p = s.Fleet.Purchase;
        var byMonth = new Dictionary<int, string?>();
        for (int i = 0; i < (p.Schedule?.Count ?? 0); i++)
        {
            var e = p.Schedule![i];
            string at = $"fleet.purchase.schedule[{i}]";
            if ((e.Month == null) == (e.FiscalYear == null))
                errors.Add(new ValidationError(at, e.Month == null ? "(neither month nor fiscal_year)" : "(both month and fiscal_year)", "must give exactly one of month and fiscal_year"));
            if (e.Generation != null && !names.Contains(e.Generation, StringComparer.OrdinalIgnoreCase))
                errors.Add(new ValidationError($"{at}.generation", e.Generation, $"must name a generation of the catalog ({string.Join(", ", names)})"));
            foreach (int t in e.Month is int mm ? new[] { mm } : e.FiscalYear is int kk ? QuarterMonths(kk) : Array.Empty<int>())
            {
                if (byMonth.TryGetValue(t, out var other) && !string.Equals(other, e.Generation, StringComparison.OrdinalIgnoreCase))
                    errors.Add(new ValidationError($"{at}.generation", e.Generation ?? "(newest)", $"buys in month {t}, where another entry buys {other ?? "the newest generation"}: one generation a month"));
                byMonth[t] = e.Generation;
            }
        }
        for (int i = 0; i < (p.OpeningBook?.Count ?? 0); i++)
        {
            var v = p.OpeningBook![i];
            if (!names.Contains(v.Generation, StringComparer.OrdinalIgnoreCase))
                errors.Add(new ValidationError($"fleet.purchase.opening_book[{i}].generation", v.Generation, $"must name a generation of the catalog ({string.Join(", ", names)})"));
        }
        if ((p.OpeningBook?.Count ?? 0) > 0 && s.Fleet.Depreciation.Book.Method == "units_of_production")
            errors.Add(new ValidationError("fleet.depreciation.book.method", "units_of_production", "cannot depreciate an opening book (fleet.purchase.opening_book): the hours its servers ran before month 0 are not known"));
        return errors;
    }

    /// <summary>Rules that need the resolved catalog: each vintage bought on or after its generation's launch, and younger
    /// than its physical life.</summary>
    public static IEnumerable<ValidationError> CatalogErrors(Scenario s, List<GenerationSpec> catalog)
    {
        var book = s.Fleet.Purchase.OpeningBook ?? new List<OpeningVintageSpec>();
        for (int i = 0; i < book.Count; i++)
        {
            var g = Find(catalog, book[i].Generation);
            int age = book[i].AgeMonths;
            string at = $"fleet.purchase.opening_book[{i}].age_months";
            if (age >= g.PhysicalLifeMonths.GetValueOrDefault())
                yield return new ValidationError(at, age.ToString(Inv), $"must be below {g.Name}'s physical life ({g.PhysicalLifeMonths} months)");
            else if (-age < Math.Round(g.AvailableMonth.GetValueOrDefault()))
                yield return new ValidationError(at, age.ToString(Inv), $"puts the purchase in month {-age}, before {g.Name} was on sale (month {g.AvailableMonth.GetValueOrDefault():0} from the start)");
        }
    }

    /// <summary>Start month and the months a cohort may live, for each purchase event of the two lists (cohort slots).</summary>
    public static IEnumerable<(int Start, int Life)> Events(Scenario s, List<GenerationSpec> catalog, int maxLife)
    {
        var (usd, _) = MonthlySchedule(s);
        for (int t = 0; t < usd.Length; t++)
            if (usd[t] > 0) yield return (t, maxLife);
        foreach (var v in s.Fleet.Purchase.OpeningBook ?? new List<OpeningVintageSpec>())
            yield return (0, Math.Max(0, Find(catalog, v.Generation).PhysicalLifeMonths.GetValueOrDefault() - v.AgeMonths));
    }

    /// <summary>Append the schedule table (USD by month, then the generation index by month, -1 = newest) when there is a
    /// schedule; returns its offset, or -1.</summary>
    public static int AppendSchedule(Scenario s, List<GenerationSpec> catalog, List<double> data)
    {
        if ((s.Fleet.Purchase.Schedule?.Count ?? 0) == 0) return -1;
        var (usd, gen) = MonthlySchedule(s);
        int offset = data.Count;
        data.AddRange(usd);
        foreach (var name in gen) data.Add(name == null ? -1 : IndexOf(catalog, name));
        return offset;
    }

    /// <summary>
    /// Append the opening book, <see cref="OpeningField.Stride"/> numbers a vintage: units = round(usd / capex_g(-age)),
    /// the generation's price in its purchase month along its decline; accumulated book (and tax) depreciation at month 0
    /// = (basis - salvage) (1 - prod_{a=1..age-1} (1 - share[a-1])), the charges of the months before month 0 by the share
    /// table the kernel uses (month 0 itself, age a, is charged by the kernel). Returns its offset.
    /// </summary>
    public static int AppendOpeningBook(Scenario s, List<GenerationSpec> catalog, double[] bookShares, double[] taxShares, List<double> data)
    {
        int offset = data.Count;
        double salvage = s.Fleet.Depreciation.Book.SalvageFraction;
        foreach (var v in s.Fleet.Purchase.OpeningBook ?? new List<OpeningVintageSpec>())
        {
            int g = IndexOf(catalog, v.Generation);
            var spec = catalog[g];
            double monthsOnSale = Math.Max(0.0, -v.AgeMonths - spec.AvailableMonth.GetValueOrDefault());
            double unitCapex = spec.UnitCapex.GetValueOrDefault() * Math.Pow(1.0 - spec.CapexDecline.GetValueOrDefault(), monthsOnSale / 12.0);
            double units = unitCapex > 0 ? Math.Round(v.Usd / unitCapex) : 0;
            data.Add(g);
            data.Add(units);
            data.Add(v.AgeMonths);
            data.Add(v.Usd);
            data.Add(v.Usd * (1.0 - salvage) * Accumulated(bookShares, v.AgeMonths - 1));
            data.Add(v.Usd * Accumulated(taxShares, v.AgeMonths - 1));
        }
        return offset;
    }

    /// <summary>The kernel parameters of the two lists: the schedule's switch and offset (off when <paramref name="schedule"/>
    /// is -1, no schedule), the opening book's vintage count and offset.</summary>
    public static void SetParams(ref FleetParams p, Scenario s, int schedule, int opening)
    {
        p.ScheduleOn = schedule >= 0 ? Switch.On : Switch.Off;
        p.ScheduleOffset = Math.Max(0, schedule);
        p.OpeningVintages = s.Fleet.Purchase.OpeningBook?.Count ?? 0;
        p.OpeningOffset = opening;
    }

    /// <summary>Share of the depreciable base charged over ages 1..n by a share table (share[a-1] = charge at age a /
    /// remaining base): 1 - prod (1 - share); all of it past the table.</summary>
    public static double Accumulated(double[] shares, int n)
    {
        if (n > shares.Length) return 1.0;
        double left = 1.0;
        for (int a = 1; a <= n; a++) left *= 1.0 - shares[a - 1];
        return 1.0 - left;
    }

    private static int IndexOf(List<GenerationSpec> catalog, string name) =>
        catalog.FindIndex(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    private static GenerationSpec Find(List<GenerationSpec> catalog, string name) => catalog[IndexOf(catalog, name)];
}
