from promptctl.cli import main

main()
