print('nightly')
