using ComputeEconomics.Backends;
using ComputeEconomics.Kernels.Random;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Engine;

/// <summary>
/// Philox4x32-10 against the Random123 known-answer vectors, on the cpu path (the per-path function called
/// from .NET) and inside an ILGPU kernel on the ILGPU CPU accelerator.
/// </summary>
public class PhiloxTests
{
    /// <summary>
    /// Random123 `tests/kat_vectors` (github.com/DEShawResearch/random123), rows "philox4x32 10", from
    /// tests/TestData/random123-philox4x32-10.csv: counter[4] key[2] -> output[4].
    /// </summary>
    public static readonly uint[][] KnownAnswers = ReferenceData.Load("random123-philox4x32-10.csv")
        .Select(r => new[] { "ctr0", "ctr1", "ctr2", "ctr3", "key0", "key1", "out0", "out1", "out2", "out3" }.Select(r.Hex).ToArray())
        .ToArray();

    public static TheoryData<int> KnownAnswerRows()
    {
        var rows = new TheoryData<int>();
        for (int i = 0; i < KnownAnswers.Length; i++) rows.Add(i);
        return rows;
    }

    [Theory]
    [MemberData(nameof(KnownAnswerRows))]
    public void CpuPathMatchesRandom123KnownAnswers(int row)
    {
        uint[] v = KnownAnswers[row];
        UInt4 r = Philox4x32.Generate(new UInt4(v[0], v[1], v[2], v[3]), v[4], v[5]);
        Assert.Equal(new[] { v[6], v[7], v[8], v[9] }, new[] { r.X, r.Y, r.Z, r.W });
    }

    [Fact]
    public void RoundConstantsAreRandom123s()
    {
        // Random123 philox.h: PHILOX_M4x32_0/1 and PHILOX_W32_0/1.
        Assert.Equal(0xD2511F53u, Philox4x32.M0);
        Assert.Equal(0xCD9E8D57u, Philox4x32.M1);
        Assert.Equal(0x9E3779B9u, Philox4x32.W0);
        Assert.Equal(0xBB67AE85u, Philox4x32.W1);
    }

    [Fact]
    public void IlgpuKernelMatchesRandom123KnownAnswers()
    {
        var inputs = KnownAnswers.SelectMany(v => v.Take(6)).ToArray();
        var expected = KnownAnswers.SelectMany(v => v.Skip(6)).ToArray();
        using var b = IlgpuBackend.CreateCpu();
        uint[] output = b.Philox(inputs, 0xDEADBEEF);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void IlgpuKernelWritesEveryElementOfAManyBlockLaunch()
    {
        // 1000 blocks with varied counters and keys; run twice with different poison values: an element
        // the kernel skipped would keep its poison and differ between the two runs (and from the cpu path).
        const int blocks = 1000;
        var inputs = new uint[blocks * 6];
        var expected = new uint[blocks * 4];
        for (int i = 0; i < blocks; i++)
        {
            var c = new UInt4((uint)i, (uint)(i * 7919), 0x9E3779B9u * (uint)i, (uint)(blocks - i));
            uint k0 = (uint)i * 2654435761u, k1 = ~(uint)i;
            inputs[i * 6] = c.X; inputs[i * 6 + 1] = c.Y; inputs[i * 6 + 2] = c.Z; inputs[i * 6 + 3] = c.W;
            inputs[i * 6 + 4] = k0; inputs[i * 6 + 5] = k1;
            var r = Philox4x32.Generate(c, k0, k1);
            expected[i * 4] = r.X; expected[i * 4 + 1] = r.Y; expected[i * 4 + 2] = r.Z; expected[i * 4 + 3] = r.W;
        }
        using var b = IlgpuBackend.CreateCpu();
        uint[] a = b.Philox(inputs, 0xDEADBEEF);
        uint[] z = b.Philox(inputs, 0x00000000);
        Assert.Equal(blocks * 4, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(a[i] == z[i], $"element {i} (block {i / 4}) was not written: {a[i]:x8} with poison deadbeef, {z[i]:x8} with poison 0");
            Assert.True(a[i] == expected[i], $"element {i} (block {i / 4}): kernel {a[i]:x8}, cpu path {expected[i]:x8}");
        }
    }

    [Fact]
    public void BlockUsesTheDocumentedCounterAndKeyLayout()
    {
        // Philox4x32.Block documents key = (path low word, seed), counter = (month, slot, stream, path high word).
        long path = 0x0000_1234_89AB_CDEFL;
        UInt4 viaBlock = Philox4x32.Block(seed: 42, path, month: 7, slot: 3, stream: Streams.Failures);
        UInt4 direct = Philox4x32.Generate(new UInt4(7, 3, Streams.Failures, 0x1234), 0x89ABCDEF, 42);
        Assert.Equal((direct.X, direct.Y, direct.Z, direct.W), (viaBlock.X, viaBlock.Y, viaBlock.Z, viaBlock.W));
    }
}
