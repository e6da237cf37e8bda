using Microsoft.Extensions.Options;

namespace Workplace.McpApi.Auth;

/// <summary>Refuses to start with a configuration that cannot authenticate anyone safely, saying what to set.</summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var (_, errors) = AuthSettings.Resolve(options, environment, configuration);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
