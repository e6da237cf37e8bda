using Microsoft.Extensions.Options;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.McpApi.Search;

/// <summary>Where connectors listens and the key that signs internal assertions; both come from the AppHost's environment.</summary>
public sealed class ConnectorClientOptions
{
    /// <summary>Resolved by service discovery from <c>services:connectors:https:0</c>, else <c>services:connectors:http:0</c>.</summary>
    public static readonly Uri BaseAddress = new("https+http://connectors");

    public const string HttpEndpointKey = "services:connectors:http:0";
    public const string HttpsEndpointKey = "services:connectors:https:0";
    public const string SigningKeyKey = "Internal:SigningKey";

    /// <summary>
    /// The endpoint service discovery will pick, read here only to fail at start: without it, discovery would fail
    /// on the first search instead.
    /// </summary>
    public Uri? Endpoint { get; set; }

    public string? SigningKey { get; set; }
}

internal sealed class ConnectorClientOptionsSetup(IConfiguration configuration) : IConfigureOptions<ConnectorClientOptions>
{
    public void Configure(ConnectorClientOptions options)
    {
        var endpoint = configuration[ConnectorClientOptions.HttpsEndpointKey] ?? configuration[ConnectorClientOptions.HttpEndpointKey];
        options.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : null;
        options.SigningKey = configuration[ConnectorClientOptions.SigningKeyKey];
    }
}

internal sealed class ConnectorClientOptionsValidation : IValidateOptions<ConnectorClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectorClientOptions options)
    {
        var failures = new List<string>();
        if (options.Endpoint is not { Scheme: "http" or "https" })
        {
            failures.Add($"{ConnectorClientOptions.HttpEndpointKey} (or {ConnectorClientOptions.HttpsEndpointKey}) must be the connectors service's absolute http(s) URL (environment: services__connectors__http__0=http://host:port).");
        }
        if (string.IsNullOrEmpty(options.SigningKey))
        {
            failures.Add($"{ConnectorClientOptions.SigningKeyKey} is missing: set Internal__SigningKey to the same base64 key (>= 32 bytes) connectors uses, e.g. from 'openssl rand -base64 32'.");
        }
        else
        {
            try
            {
                _ = new InternalAssertion(options.SigningKey);
            }
            catch (ArgumentException e)
            {
                failures.Add(e.Message);
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
