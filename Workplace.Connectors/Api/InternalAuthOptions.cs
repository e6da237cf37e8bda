using Microsoft.Extensions.Options;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Api;

/// <summary>Configuration section `Internal`: the key mcpapi signs internal assertions with.</summary>
public sealed class InternalAuthOptions
{
    public const string Section = "Internal";

    /// <summary>Base64, at least 32 bytes; the same value mcpapi has. Never logged.</summary>
    public string SigningKey { get; set; } = "";
}

/// <summary>Refuses to start without a usable key: a connector that cannot check its callers must not serve.</summary>
public sealed class InternalAuthOptionsValidator : IValidateOptions<InternalAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, InternalAuthOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return ValidateOptionsResult.Fail("Internal:SigningKey is not set. Give connectors the same base64 key as mcpapi (for example: openssl rand -base64 32), e.g. through the environment variable Internal__SigningKey.");
        }
        try
        {
            _ = new InternalAssertion(options.SigningKey);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
