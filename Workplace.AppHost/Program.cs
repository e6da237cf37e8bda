Console.WriteLine("Workplace AppHost");
