using ComputeEconomics.Running;

namespace ComputeEconomics.Scenarios;

/// <summary>Compiles model kind lab. (Being implemented: issue "GenAI labs, API start-ups and the hyperscaler sector".)</summary>
public static class LabCompiler
{
    public static IReadOnlyList<ValidationError> Validate(Scenario s) =>
        new[] { new ValidationError("model", "lab", "is not available in this build yet") };

    public static IModelJob Compile(Scenario s) => throw new InputException("model", "lab", "is not available in this build yet");

    public static IReadOnlyList<(string Label, string Text)> AnswerLines(Output.RunSummary s) => Array.Empty<(string, string)>();
}

/// <summary>Compiles model kind sector.</summary>
public static class SectorCompiler
{
    public static IReadOnlyList<ValidationError> Validate(Scenario s) =>
        new[] { new ValidationError("model", "sector", "is not available in this build yet") };

    public static IModelJob Compile(Scenario s) => throw new InputException("model", "sector", "is not available in this build yet");

    public static IReadOnlyList<(string Label, string Text)> AnswerLines(Output.RunSummary s) => Array.Empty<(string, string)>();
}
