namespace ComputeEconomics.Statistics;

/// <summary>Parallel loops whose workers each need a large scratch (sort buffers), made at most once a concurrent worker.</summary>
internal static class ParallelScratch
{
    /// <summary>
    /// <paramref name="body"/> for each of [0, <paramref name="count"/>) on at most <paramref name="threads"/> workers, each
    /// with a scratch from a pool of at most that many: Parallel.For ends its workers after a time slice and starts new
    /// ones, so a scratch made in each worker's init would be made again and again (large-object garbage the collector
    /// lets pile up before a full collection); the pool keeps it to one a concurrent worker. The scratch must not carry
    /// anything from one index to the next (results then do not depend on the scheduling).
    /// </summary>
    public static void For<T>(int count, int threads, Func<T> make, Action<int, T> body, CancellationToken cancellation = default)
    {
        var pool = new System.Collections.Concurrent.ConcurrentBag<T>();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellation },
            () => pool.TryTake(out var scratch) ? scratch : make(), (i, _, scratch) => { body(i, scratch); return scratch; }, pool.Add);
    }
}
