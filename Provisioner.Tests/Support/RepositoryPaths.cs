namespace Provisioner.Tests.Support;

/// <summary>Where the repository and the built API and worker sit, found from the test assembly's own path.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>bin/&lt;Configuration&gt;/net10.0 of the test assembly names the configuration the hosts were built in.</summary>
    public static string Configuration =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string ApiDll => Built("Provisioner.Api");

    public static string WorkerDll => Built("Provisioner.Worker");

    /// <summary>The provisioner command, as built (its assembly is named after the command, not the project).</summary>
    public static string CliDll => Built("Provisioner.Cli", "provisioner");

    private static string Built(string project, string? assembly = null)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", (assembly ?? project) + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built at {path}.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provisioner.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Provisioner.sln not found above " + AppContext.BaseDirectory);
    }
}
