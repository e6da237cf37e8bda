namespace Microsoft.Extensions.Hosting;

public static class ConnectorsRedis
{
    /// <summary>
    /// With Redis (<see cref="RedisExtensions.AddWorkplaceRedis"/>): the store of users' grants, the refresh locks, the
    /// DataProtection key ring, the provider budgets and the second level of the document cache
    /// (<see cref="Workplace.Connectors.Sources.DocumentCache"/>), shared by replicas and kept across restarts.
    /// </summary>
    public static IHostApplicationBuilder AddConnectorsRedis(this IHostApplicationBuilder builder)
    {
        builder.AddWorkplaceRedis("users' provider grants are kept in this process only and are lost when it restarts (every user connects again), provider budgets are counted and documents cached per instance.",
            cacheInstance: "workplace:connectors:");
        return builder;
    }
}
