using Workplace.AppHost;
using Workplace.AppHost.Auth;
using Workplace.AppHost.Cache;
using Workplace.AppHost.Providers;
using Workplace.AppHost.Restarts;

// The Workplace graph: cache → connectors → mcpapi, and in development Workplace.Emulators for every provider nobody
// configured. `dotnet run` starts it with the Aspire dashboard; the tests start the same graph with Aspire.Hosting.Testing;
// `--publisher manifest` describes it for `azd up`.
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = args,
    DisableDashboard = DashboardSwitch.IsOff,
});
builder.WithoutTelemetryWhenDashboardOff();

var cache = builder.AddWorkplaceCache("cache");
var signingKey = builder.AddInternalSigningKey();
var emulated = builder.AddEmulators();

var connectors = builder.AddProject<Projects.Workplace_Connectors>("connectors")
    .WithHttpEndpoint()
    .WithHostEnvironment()
    .WithInternalSigningKey(signingKey)
    .WithCache(cache)
    .WithProviderSources(emulated)
    .WithHttpHealthCheck("/health");

var mcpapi = builder.AddProject<Projects.Workplace_McpApi>("mcpapi")
    .WithMcpEndpoint()
    .WithHostEnvironment()
    .WithInternalSigningKey(signingKey)
    .WithReference(connectors).WaitFor(connectors)
    .WithCache(cache)
    .WithTokenIssuer(emulated is null ? null : DevUserConnections.EmulatedUserEmail)
    .WithHttpHealthCheck("/health");

builder.AddCrashRestarts(connectors, mcpapi);
builder.AddConnectInstructions(mcpapi, cache, emulated);

builder.Build().Run();
