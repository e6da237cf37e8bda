using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Workplace.AppHost.Cache;

public static class CacheExtensions
{
    public const string InstallHint = "sudo apt-get install redis-server (macOS: brew install redis), then start the AppHost again";

    /// <summary>Where redis-server keeps its snapshot; tests point it at a folder of their own.</summary>
    public const string DataDirectoryKey = "WORKPLACE_CACHE_DATA";

    /// <summary>
    /// Run mode: redis-server from PATH on a free loopback port, data under the git-ignored <c>.data/redis</c>, ready once it
    /// answers PING; null when redis-server is not installed (the services then use their in-process cache). Publish mode:
    /// Aspire's Redis container, which <c>azd up</c> deploys.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString>? AddWorkplaceCache(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddRedis(name);
        }
        if (FindOnPath("redis-server") is null)
        {
            return null;
        }

        var data = builder.Configuration[DataDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".data", "redis"));
        Directory.CreateDirectory(data);
        var port = LoopbackPorts.Free();
        var healthCheck = $"{name}-ping";
        // WaitFor(cache) then means "answers PING", not merely "started".
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck, _ => new RedisPingHealthCheck(port), failureStatus: null, tags: null, timeout: TimeSpan.FromSeconds(5)));
        return builder.AddResource(new RedisServerResource(name, data))
            .WithEndpoint(RedisServerResource.EndpointName, endpoint =>
            {
                endpoint.UriScheme = "tcp";
                endpoint.Port = port;
                endpoint.TargetPort = port;
                endpoint.IsProxied = false;
            })
            // Redis holds people's provider grants: an append-only file written every second keeps them through a stop,
            // a crash or an AppHost restart (a snapshot alone would lose what changed in the last minute).
            .WithArgs("--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", data, "--appendonly", "yes", "--appendfsync", "everysec")
            .WithHealthCheck(healthCheck);
    }

    /// <summary>Gives the service <c>ConnectionStrings__cache</c> and starts it once Redis answers; without Redis, nothing.</summary>
    public static IResourceBuilder<ProjectResource> WithCache(this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString>? cache) =>
        cache is null ? project : project.WithReference(cache).WaitFor(cache);

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, executable))
            .FirstOrDefault(File.Exists);
}
