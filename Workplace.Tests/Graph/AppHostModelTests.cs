using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workplace.AppHost.Auth;
using Workplace.AppHost.Providers;
using Workplace.Emulators.Workspace;

namespace Workplace.Tests.Graph;

// The AppHost's graph as it is built for `dotnet run` under different configurations, read from its application model
// without starting it: which providers are emulated, and what connectors is told about each one.
public sealed class AppHostModelTests
{
    [Fact]
    public async Task WithNoProviderConfigured_EveryProviderIsEmulated_AndConnectorsWaitsForTheEmulators()
    {
        await using var model = await GraphModel.BuildAsync();

        var emulators = Assert.IsType<ProjectResource>(model.Resource(ProviderSourcesExtensions.EmulatorsName));
        Assert.Contains(emulators.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        var connectors = model.Resource("connectors")!;
        Assert.Contains(connectors.Annotations.OfType<WaitAnnotation>(), w => w.Resource == emulators);
        var environment = await model.EnvironmentAsync("connectors");
        foreach (var (name, path) in new[] { ("GoogleDrive", "google/"), ("Notion", "notion/"), ("SharePoint", "graph/v1.0/") })
        {
            var baseUrl = Assert.IsType<ReferenceExpression>(environment[$"Sources__{name}__BaseUrl"]);
            Assert.Equal($"{{emulators.bindings.http.url}}/{path}", baseUrl.ValueExpression);
            Assert.Equal("true", environment[$"Sources__{name}__Emulated"]);
            Assert.StartsWith("{emulators.bindings.http.url}/", Assert.IsType<ReferenceExpression>(environment[$"Sources__{name}__OAuth__AuthorizeUrl"]).ValueExpression, StringComparison.Ordinal);
            Assert.StartsWith("{emulators.bindings.http.url}/", Assert.IsType<ReferenceExpression>(environment[$"Sources__{name}__OAuth__TokenUrl"]).ValueExpression, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(environment[$"Sources__{name}__OAuth__ClientId"] as string));
            Assert.True(environment[$"Sources__{name}__OAuth__ClientSecret"] is string { Length: >= 32 });
        }
        // The emulators know the same OAuth clients connectors uses.
        var emulatorEnvironment = await model.EnvironmentAsync(ProviderSourcesExtensions.EmulatorsName);
        Assert.Equal(environment["Sources__GoogleDrive__OAuth__ClientId"], emulatorEnvironment["Emulators__Google__ClientId"]);
        Assert.Equal(environment["Sources__GoogleDrive__OAuth__ClientSecret"], emulatorEnvironment["Emulators__Google__ClientSecret"]);
        Assert.Equal(environment["Sources__Notion__OAuth__ClientId"], emulatorEnvironment["Emulators__Notion__ClientId"]);
        Assert.Equal(environment["Sources__Notion__OAuth__ClientSecret"], emulatorEnvironment["Emulators__Notion__ClientSecret"]);
        // Connectors keeps its users' grants in the graph's Redis.
        Assert.True(environment.ContainsKey("ConnectionStrings__cache"), "connectors needs the cache for grants and budgets");
        // The development user is the emulated user the connect flow signs in.
        Assert.Equal(EmulatedUsers.Aditi.Email, model.App.Services.GetRequiredService<DevAuthority>().Email);
        Assert.Equal(DevUserConnections.EmulatedUserEmail, EmulatedUsers.Aditi.Email);
    }

    [Fact]
    public async Task AProviderConfiguredForReal_IsPassedThroughOverTheRealDefaults_AndOnlyTheOthersAreEmulated()
    {
        await using var model = await GraphModel.BuildAsync(
            "Sources:Notion:OAuth:ClientId=real-notion-client",
            "Sources:Notion:OAuth:ClientSecret=real-notion-secret",
            "Sources:Notion:Budget:RequestsPerSecond=2");

        var environment = await model.EnvironmentAsync("connectors");

        Assert.Equal("https://api.notion.com/", environment["Sources__Notion__BaseUrl"]);
        // Notion's OAuth endpoints are connectors' defaults: nothing here writes them again.
        Assert.Equal(["Sources__Notion__OAuth__ClientId", "Sources__Notion__OAuth__ClientSecret"],
            environment.Keys.Where(k => k.StartsWith("Sources__Notion__OAuth__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("real-notion-client", environment["Sources__Notion__OAuth__ClientId"]);
        Assert.Equal("real-notion-secret", environment["Sources__Notion__OAuth__ClientSecret"]);
        Assert.Equal("2", environment["Sources__Notion__Budget__RequestsPerSecond"]);
        Assert.False(environment.ContainsKey("Sources__Notion__Emulated"), "a configured provider is the real one");
        Assert.IsType<ReferenceExpression>(environment["Sources__GoogleDrive__BaseUrl"]);
        Assert.IsType<ReferenceExpression>(environment["Sources__SharePoint__BaseUrl"]);
        var emulatorEnvironment = await model.EnvironmentAsync(ProviderSourcesExtensions.EmulatorsName);
        Assert.DoesNotContain(emulatorEnvironment.Keys, k => k.StartsWith("Emulators__Notion__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AConfiguredBaseUrl_WinsOverTheRealDefault()
    {
        await using var model = await GraphModel.BuildAsync(
            "Sources:SharePoint:BaseUrl=https://graph.microsoft.us/v1.0/",
            "Sources:SharePoint:OAuth:ClientId=gov-client");

        var environment = await model.EnvironmentAsync("connectors");

        Assert.Equal("https://graph.microsoft.us/v1.0/", environment["Sources__SharePoint__BaseUrl"]);
        Assert.False(environment.ContainsKey("Sources__SharePoint__OAuth__TokenUrl"), "connectors' default token URL applies");
    }

    [Fact]
    public async Task WithEveryProviderConfigured_ThereAreNoEmulators_AndTheDevelopmentTokenNamesNoEmulatedUser()
    {
        await using var model = await GraphModel.BuildAsync(
            "Sources:GoogleDrive:OAuth:ClientId=google-client",
            "Sources:Notion:OAuth:ClientId=notion-client",
            "Sources:SharePoint:TokenSource=descope");

        var environment = await model.EnvironmentAsync("connectors");

        Assert.Null(model.Resource(ProviderSourcesExtensions.EmulatorsName));
        Assert.DoesNotContain(environment.Keys, k => k.EndsWith("__Emulated", StringComparison.Ordinal));
        Assert.Equal("descope", environment["Sources__SharePoint__TokenSource"]);
        Assert.Equal("https://www.googleapis.com/", environment["Sources__GoogleDrive__BaseUrl"]);
        Assert.Null(model.App.Services.GetRequiredService<DevAuthority>().Email);
        Assert.Null(model.App.Services.GetService<DevUserConnections>());
    }

    [Fact]
    public async Task EmulatorsOff_LeavesUnconfiguredProvidersOut()
    {
        await using var model = await GraphModel.BuildAsync($"{ProviderSourcesExtensions.EmulatorsKey}=off", "Sources:Notion:OAuth:ClientId=notion-client");

        var environment = await model.EnvironmentAsync("connectors");

        Assert.Null(model.Resource(ProviderSourcesExtensions.EmulatorsName));
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Sources__GoogleDrive__", StringComparison.Ordinal) || k.StartsWith("Sources__SharePoint__", StringComparison.Ordinal));
        Assert.Equal("notion-client", environment["Sources__Notion__OAuth__ClientId"]);
    }

    [Fact]
    public async Task AnEmulatorsPortThatIsNoPort_IsRefusedWithWhatToSet()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GraphModel.BuildAsync($"{ProviderSourcesExtensions.EmulatorsPortKey}=seventy"));

        Assert.Contains($"{ProviderSourcesExtensions.EmulatorsPortKey} must be a TCP port number", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The AppHost's run-mode graph, built but not started, with the environment each resource would get.</summary>
    private sealed class GraphModel : IAsyncDisposable
    {
        private readonly DirectoryInfo _cacheData;

        private GraphModel(DistributedApplication app, DirectoryInfo cacheData)
        {
            App = app;
            _cacheData = cacheData;
        }

        public DistributedApplication App { get; }

        public static async Task<GraphModel> BuildAsync(params string[] settings)
        {
            var cacheData = Directory.CreateTempSubdirectory("workplace-model-");
            try
            {
                var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Workplace_AppHost>(
                    ["WORKPLACE_MCPAPI_PORT=0", $"WORKPLACE_CACHE_DATA={cacheData.FullName}", .. settings],
                    (options, host) =>
                    {
                        options.DisableDashboard = true;
                        host.EnvironmentName = "Development";
                    });
                return new GraphModel(await builder.BuildAsync(), cacheData);
            }
            catch
            {
                cacheData.Delete(recursive: true);
                throw;
            }
        }

        public IResource? Resource(string name) =>
            App.Services.GetRequiredService<DistributedApplicationModel>().Resources.SingleOrDefault(r => r.Name == name);

        /// <summary>The variables as the resource's callbacks set them: strings, or the expressions DCP resolves at start.</summary>
        public async Task<IReadOnlyDictionary<string, object>> EnvironmentAsync(string resource)
        {
            var target = Resource(resource) ?? throw new InvalidOperationException($"The graph has no resource {resource}.");
            var context = new EnvironmentCallbackContext(App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), target);
            foreach (var callback in target.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }
            return context.EnvironmentVariables;
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            _cacheData.Delete(recursive: true);
        }
    }
}
