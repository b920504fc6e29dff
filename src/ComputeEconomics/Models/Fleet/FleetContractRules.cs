using System.Globalization;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Models.Fleet;

/// <summary>
/// The contract's counterparty and renewal, and the asset classes (issue 15 items 1 and 3; docs/model.md 3 and 5):
/// their rules, their tables in the data buffer and their kernel parameters.
/// </summary>
public static class FleetContractRules
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>True when the counterparty can default: a contract with a positive default probability.</summary>
    public static bool CounterpartyOn(Scenario s)
    {
        var c = s.Fleet.Operations.Contract;
        return c.Share > 0 && (c.Counterparty.AnnualDefaultProbability > 0 || c.Counterparty.LabScenario != null);
    }

    /// <summary>True when some asset class has a share above 0.</summary>
    public static bool AssetClassesOn(Scenario s) => Classes(s).Any(c => c.Spec.Share > 0);

    /// <summary>The classes in kernel order (<see cref="AssetClassMetrics"/>) with their YAML keys.</summary>
    public static IReadOnlyList<(string Key, AssetClassSpec Spec)> Classes(Scenario s)
    {
        var a = s.Fleet.Depreciation.AssetClasses;
        return new[] { ("network", a.Network), ("power_and_cooling", a.PowerAndCooling), ("buildings", a.Buildings) };
    }

    /// <summary>Cross-field rules: the shares leave room for the servers; renewal and counterparty need a contract.</summary>
    public static IEnumerable<ValidationError> Validate(Scenario s)
    {
        double total = Classes(s).Sum(c => c.Spec.Share);
        if (total >= 1)
            yield return new ValidationError("fleet.depreciation.asset_classes", total.ToString("0.###", Inv),
                "is the sum of the classes' shares; it must be < 1 (the servers take the rest of the purchase cost)");
        var c = s.Fleet.Operations.Contract;
        if (c.Renewal.Policy != "none" && c.Share == 0)
            yield return new ValidationError("fleet.operations.contract.renewal.policy", c.Renewal.Policy,
                "needs a contract: set fleet.operations.contract.share > 0");
        if (c.Renewal.Policy != "spot_with_discount" && c.Renewal.Discount > 0)
            yield return new ValidationError("fleet.operations.contract.renewal.discount", c.Renewal.Discount.ToString(Inv),
                "applies only when renewal.policy is spot_with_discount");
        if (c.Counterparty.LabScenario is { } lab)
        {
            if (c.Share == 0)
                yield return new ValidationError("fleet.operations.contract.counterparty.lab_scenario", lab, "needs a contract: set fleet.operations.contract.share > 0");
            if (c.Counterparty.AnnualDefaultProbability > 0)
                yield return new ValidationError("fleet.operations.contract.counterparty.annual_default_probability",
                    c.Counterparty.AnnualDefaultProbability.ToString(Inv), "is not used with lab_scenario (the lab's insolvency hazard replaces it): set one of them");
            ValidationError? labError = null;
            try { LabHazard.Load(lab, s.Seed, 1); }
            catch (InputException e) { labError = e.Errors[0]; }
            if (labError != null) yield return labError;
        }
        if (c.Counterparty.AnnualDefaultProbability > 0 && c.Share == 0)
            yield return new ValidationError("fleet.operations.contract.counterparty.annual_default_probability",
                c.Counterparty.AnnualDefaultProbability.ToString(Inv), "needs a contract: set fleet.operations.contract.share > 0");
    }

    /// <summary>Appends the hazard table and the asset class rows to <paramref name="data"/> and sets the kernel's
    /// parameters; the optional metrics' positions come from <paramref name="names"/>.</summary>
    public static void Apply(Scenario s, ref FleetParams p, List<double> data, IReadOnlyList<string> names)
    {
        var c = s.Fleet.Operations.Contract;
        p.ContractTerm = c.TermMonths;
        p.RenewalOn = c.Share > 0 && c.Renewal.Policy != "none" ? Switch.On : Switch.Off;
        p.RenewalProbability = c.Renewal.Probability;
        p.RenewalFactor = c.Renewal.Policy == "spot_with_discount" ? 1.0 - c.Renewal.Discount : 1.0;
        p.CounterpartyOn = CounterpartyOn(s) ? Switch.On : Switch.Off;
        p.CounterpartyHazardOffset = data.Count;
        if (p.CounterpartyOn != Switch.Off)
            data.AddRange(HazardTable(s));
        var regime = s.Market.Regime;
        p.CounterpartyBustByRegime = regime.NormalToBust > 0 || regime.Initial == MarketRegime.Bust ? Switch.On : Switch.Off;
        p.CounterpartyBustFactor = c.Counterparty.BustFactor;
        p.CounterpartyBustPriceShare = c.Counterparty.BustPriceShare;
        p.CounterpartyRecovery = c.Counterparty.RecoveryShare;
        p.AssetClassesOn = AssetClassesOn(s) ? Switch.On : Switch.Off;
        p.AssetClassOffset = data.Count;
        if (p.AssetClassesOn != Switch.Off)
        {
            double rest = 1.0 - Classes(s).Sum(k => k.Spec.Share);
            var classes = Classes(s);
            for (int k = 0; k < classes.Count; k++)
            {
                var a = classes[k].Spec;
                int life = a.UsefulLifeMonths ?? AssetClassesSpec.DefaultLives[k];
                data.AddRange(new[] { a.Share / rest, (1.0 - a.SalvageFraction) / life, life, a.EconomicLifeMonths ?? life });
            }
        }
        p.CounterpartyMetricBase = IndexOf(names, "counterparty_default");
        p.AssetClassMetricBase = IndexOf(names, "depreciation_network");
    }

    /// <summary>The counterparty's monthly hazard h_t, t &lt; T: the lab scenario's insolvency hazard (<see cref="LabHazard"/>),
    /// else 1 - (1 - annual)^(1/12) every month.</summary>
    public static double[] HazardTable(Scenario s)
    {
        if (s.Fleet.Operations.Contract.Counterparty.LabScenario is { } lab)
            return LabHazard.Table(lab, s.Seed, s.Paths, s.HorizonMonths);
        double annual = s.Fleet.Operations.Contract.Counterparty.AnnualDefaultProbability;
        double h = annual >= 1 ? 1.0 : 1.0 - Math.Pow(1.0 - annual, 1.0 / 12.0);
        return Enumerable.Repeat(h, s.HorizonMonths).ToArray();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }
}
