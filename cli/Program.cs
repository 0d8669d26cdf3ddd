using Auki.Cli;

return Cli.Run(args);
