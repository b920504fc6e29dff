using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Reliability;

/// <summary>Issue 18: tests needing Chromium or root skip with the reason when it is absent, and fail when CI requires them.</summary>
public class PrerequisiteTests
{
    [Fact]
    public void AMissingPrerequisiteIsASkipWithTheReasonUnlessRequired()
    {
        string? reason = Prerequisites.SkipReason(present: false, required: false, "needs root");
        Assert.NotNull(reason);
        Assert.StartsWith("needs root", reason);
        Assert.Contains(Prerequisites.RequireVariable, reason);
        Assert.Null(Prerequisites.SkipReason(present: false, required: true, "needs root"));     // CI: the test runs and fails
        Assert.Null(Prerequisites.SkipReason(present: true, required: false, "needs root"));
    }

    [Fact]
    public void RootIsReadFromTheEffectiveUserId()
    {
        string uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2];
        Assert.Equal(uid == "0", Prerequisites.IsRoot());
        Assert.Equal(Environment.UserName == "root", Prerequisites.IsRoot());
    }

    [Fact]
    public void TheAttributesSkipOnlyWhenThePrerequisiteIsMissing()
    {
        bool required = Prerequisites.Required;
        Assert.Equal(!required && Prerequisites.ChromiumPath() == null, new ChromiumFactAttribute().Skip != null);
        Assert.Equal(!required && !Prerequisites.IsRoot(), new RootFactAttribute().Skip != null);
    }
}
