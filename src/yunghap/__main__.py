from yunghap.cli import main

main()
