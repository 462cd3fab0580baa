using Provisioner.Cli;

return await CliApp.RunAsync(args, Environment.GetEnvironmentVariable);
