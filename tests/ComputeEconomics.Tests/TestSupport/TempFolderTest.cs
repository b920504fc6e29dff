namespace ComputeEconomics.Tests.TestSupport;

/// <summary>A test class with its own temporary folder, removed after each test.</summary>
public abstract class TempFolderTest : IDisposable
{
    protected TempFolderTest(string prefix)
    {
        Dir = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>The folder of this test.</summary>
    protected string Dir { get; }

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }
}
