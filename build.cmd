@echo off
rem The repository's build project on Windows: dotnet run compiles it when needed, then runs the target.
rem (build.sh on Linux and macOS also skips dotnet run's checks when nothing changed.)
dotnet run --project "%~dp0build" -- %*
