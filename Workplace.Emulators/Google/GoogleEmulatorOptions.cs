using System.ComponentModel.DataAnnotations;

namespace Workplace.Emulators.Google;

/// <summary>The one OAuth client the emulated Google knows (configuration <c>Emulators:Google</c>).</summary>
public sealed class GoogleEmulatorOptions
{
    public const string Section = "Emulators:Google";

    [Required]
    public string ClientId { get; set; } = "workplace-emulated.apps.googleusercontent.com";

    [Required]
    public string ClientSecret { get; set; } = "emulated-google-client-secret";
}
