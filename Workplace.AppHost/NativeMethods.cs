using System.Runtime.InteropServices;

namespace Workplace.AppHost;

internal static partial class NativeMethods
{
    private const int SigTerm = 15;

    // .NET can only SIGKILL a child; SIGTERM lets a service drain requests and flush telemetry, and redis-server save.
    public static bool TryTerminate(int processId) =>
        !OperatingSystem.IsWindows() && Kill(processId, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
