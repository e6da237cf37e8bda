using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workplace.AppHost.Restarts;

public static class CrashRestartExtensions
{
    /// <summary>
    /// DCP shows a crashed service as Finished and leaves it down. A developer's graph should heal itself the way a
    /// container platform would, so a service that exits with a non-zero code is started again with backoff; one that
    /// keeps crashing is left down (the dashboard's Start command brings it back). A clean exit or a Stop from the
    /// dashboard is not a crash.
    /// </summary>
    public static IDistributedApplicationBuilder AddCrashRestarts(this IDistributedApplicationBuilder builder, params IResourceBuilder<ProjectResource>[] services)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            var policy = new CrashRestartPolicy([.. services.Select(s => s.Resource.Name)]);
            builder.Configuration.GetSection(CrashRestartPolicy.SectionName).Bind(policy);
            builder.Services.AddSingleton(policy);
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddHostedService<CrashRestarter>();
        }
        return builder;
    }
}

/// <summary>Which services are restarted, and how patiently. Bound from <c>Workplace:Restarts</c>.</summary>
public sealed class CrashRestartPolicy(IReadOnlyCollection<string> services)
{
    public const string SectionName = "Workplace:Restarts";

    public IReadOnlyCollection<string> Services { get; } = services;

    /// <summary>The wait before the first restart; it doubles with every crash in <see cref="Window"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This many crashes within <see cref="Window"/> and the service is left down.</summary>
    public int MaxCrashes { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}
