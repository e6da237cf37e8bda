using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Workplace.AppHost.Providers;

/// <summary>Workplace.Emulators in the graph, the providers it stands in for, and the OAuth client each one knows connectors as.</summary>
public sealed record EmulatedProviders(IResourceBuilder<ProjectResource> Emulators, IReadOnlyList<ProviderSource> Providers, IReadOnlyDictionary<string, OAuthClient> Clients);

public sealed record OAuthClient(string ClientId, string ClientSecret);

public static class ProviderSourcesExtensions
{
    public const string EmulatorsName = "emulators";

    /// <summary><c>off</c>: no emulators, even for providers without configuration (those sources are then not served).</summary>
    public const string EmulatorsKey = "WORKPLACE_EMULATORS";

    /// <summary>The emulators' port (default: any free one), e.g. so that <c>Auth__Authority</c> can name its OIDC issuer.</summary>
    public const string EmulatorsPortKey = "WORKPLACE_EMULATORS_PORT";

    /// <summary>
    /// Run mode: Workplace.Emulators as the <c>emulators</c> project, ready once <c>/health</c> answers, for every provider the
    /// AppHost's configuration says nothing about (no <c>Sources__{Name}__*</c>); null when every provider is configured,
    /// when <c>WORKPLACE_EMULATORS=off</c>, and always in publish mode: a deployment talks to the real providers.
    /// </summary>
    public static EmulatedProviders? AddEmulators(this IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!builder.ExecutionContext.IsRunMode || string.Equals(configuration[EmulatorsKey], "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var providers = ProviderSource.All.Where(p => !p.IsConfigured(configuration)).ToList();
        if (providers.Count == 0)
        {
            return null;
        }

        // A client secret per run: nothing outside this graph knows it, and no fixed secret sits in the repository.
        var clients = providers.ToDictionary(p => p.Id, p => new OAuthClient($"workplace-{p.Id.Replace('_', '-')}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))), StringComparer.Ordinal);
        var port = LoopbackPorts.FromSetting(EmulatorsPortKey, configuration[EmulatorsPortKey]);
        var emulators = builder.AddProject<Projects.Workplace_Emulators>(EmulatorsName)
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithHostEnvironment()
            .WithEnvironment(context =>
            {
                foreach (var provider in providers.Where(p => p.EmulatorClientSection is not null))
                {
                    var prefix = provider.EmulatorClientSection!.Replace(":", "__", StringComparison.Ordinal);
                    context.EnvironmentVariables[$"{prefix}__ClientId"] = clients[provider.Id].ClientId;
                    context.EnvironmentVariables[$"{prefix}__ClientSecret"] = clients[provider.Id].ClientSecret;
                }
            })
            .WithHttpHealthCheck("/health");
        return new EmulatedProviders(emulators, providers, clients);
    }

    /// <summary>
    /// Tells connectors where each provider is (<c>Sources__{Name}__*</c>, <see cref="ProviderSource"/>).
    /// <list type="bullet">
    /// <item>An emulated provider: the emulators' URLs and OAuth client, <c>Emulated=true</c>; connectors waits for the emulators.</item>
    /// <item>A configured provider (run mode): the developer's <c>Sources:{Name}:*</c> settings, over the real provider's
    /// API root; connectors knows its OAuth endpoints and scopes, so a client id and secret are enough.</item>
    /// <item>Publish mode: the real providers' API roots; client ids and (secret) client secrets are deployment
    /// parameters, the Microsoft tenant one with the default <c>organizations</c>.</item>
    /// </list>
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithProviderSources(this IResourceBuilder<ProjectResource> connectors, EmulatedProviders? emulated)
    {
        var builder = connectors.ApplicationBuilder;
        if (builder.ExecutionContext.IsPublishMode)
        {
            foreach (var provider in ProviderSource.All)
            {
                connectors.WithPublishedProvider(provider);
            }
            return connectors;
        }

        foreach (var provider in ProviderSource.All.Where(p => p.IsConfigured(builder.Configuration)))
        {
            connectors.WithConfiguredProvider(provider);
        }
        if (emulated is null)
        {
            return connectors;
        }
        var endpoint = emulated.Emulators.GetEndpoint("http");
        ReferenceExpression At(string path) => ReferenceExpression.Create($"{endpoint}/{path}");
        foreach (var provider in emulated.Providers)
        {
            var client = emulated.Clients[provider.Id];
            var prefix = provider.VariablePrefix;
            connectors
                .WithEnvironment(prefix + "BaseUrl", At(provider.Emulated.BaseUrl))
                .WithEnvironment(prefix + "Emulated", "true")
                .WithEnvironment(prefix + "OAuth__AuthorizeUrl", At(provider.Emulated.AuthorizeUrl))
                .WithEnvironment(prefix + "OAuth__TokenUrl", At(provider.Emulated.TokenUrl))
                .WithEnvironment(prefix + "OAuth__ClientId", client.ClientId)
                .WithEnvironment(prefix + "OAuth__ClientSecret", client.ClientSecret);
            if (provider.Emulated.RevokeUrl is { } revoke)
            {
                connectors.WithEnvironment(prefix + "OAuth__RevokeUrl", At(revoke));
            }
        }
        return connectors.WaitFor(emulated.Emulators);
    }

    private static void WithConfiguredProvider(this IResourceBuilder<ProjectResource> connectors, ProviderSource provider)
    {
        var configuration = connectors.ApplicationBuilder.Configuration;
        connectors.WithEnvironment(context =>
        {
            var variables = context.EnvironmentVariables;
            variables[provider.VariablePrefix + "BaseUrl"] = provider.RealBaseUrl;
            // The developer's settings, as the AppHost's configuration has them (environment, user secrets, arguments).
            foreach (var (key, value) in configuration.GetSection(provider.Section).AsEnumerable(makePathsRelative: true))
            {
                if (value is not null)
                {
                    variables[provider.VariablePrefix + key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
        });
    }

    private static void WithPublishedProvider(this IResourceBuilder<ProjectResource> connectors, ProviderSource provider)
    {
        var builder = connectors.ApplicationBuilder;
        var prefix = provider.VariablePrefix;
        connectors.WithEnvironment(prefix + "BaseUrl", provider.RealBaseUrl);
        if (provider == ProviderSource.SharePoint)
        {
            connectors.WithEnvironment(prefix + "OAuth__Tenant",
                builder.AddParameter(provider.Parameter("tenant"), ProviderSource.DefaultMicrosoftTenant, publishValueAsDefault: true));
        }
        connectors
            .WithEnvironment(prefix + "OAuth__ClientId", builder.AddParameter(provider.Parameter("client-id")))
            .WithEnvironment(prefix + "OAuth__ClientSecret", builder.AddParameter(provider.Parameter("client-secret"), secret: true));
    }
}
