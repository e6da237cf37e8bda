using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workplace.ServiceDefaults.Hosting;

// A service started by Workplace.AppHost gets a stdin pipe the AppHost never writes to. When the AppHost dies without
// stopping its children (SIGKILL, a crash), the pipe closes and the read below ends: the service stops itself instead
// of living on as an orphan holding its port. Only active when the AppHost asks for it.
internal sealed partial class AppHostLifeline(IHostApplicationLifetime lifetime, ILogger<AppHostLifeline> logger) : BackgroundService
{
    public const string Variable = "WORKPLACE_EXIT_ON_STDIN_EOF";

    public static void AddTo(IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>(Variable))
        {
            builder.Services.AddHostedService<AppHostLifeline>();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stdin = Console.OpenStandardInput();
        var buffer = new byte[64];
        try
        {
            // WaitAsync: a read on a console pipe does not observe cancellation, and shutdown must not wait for it.
            while (await stdin.ReadAsync(buffer, stoppingToken).AsTask().WaitAsync(stoppingToken) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        LogAppHostGone(logger);
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The AppHost that started this service is gone (its stdin pipe closed): stopping, so no orphan keeps the port.")]
    private static partial void LogAppHostGone(ILogger logger);
}
